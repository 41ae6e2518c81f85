package dev.agentlake.infra;

/**
 * The lines a user pastes to point each assistant at a deployment. The token itself is never in them
 * (CloudFormation outputs are readable by anyone who can describe the stack): shells read it from SSM
 * with {@link #readTokenCommand}, config files get a {@code <INGEST_TOKEN>} placeholder.
 */
final class ClientSnippets {
    static final String TOKEN_PLACEHOLDER = "<INGEST_TOKEN>";

    private ClientSnippets() {
    }

    static String readTokenCommand(String parameterName, String region) {
        return "aws ssm get-parameter --region " + region + " --name " + parameterName
                + " --with-decryption --query Parameter.Value --output text";
    }

    /** OTLP exporters append {@code /v1/logs} etc. to this base endpoint. */
    static String claudeCodeEnv(String otlpEndpoint, String tokenCommand) {
        return "export CLAUDE_CODE_ENABLE_TELEMETRY=1 OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp"
                + " OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT=" + otlpEndpoint
                + " " + headersEnv(tokenCommand);
    }

    /** Codex reads full signal URLs; these lines go under {@code [otel]} in {@code ~/.codex/config.toml}. */
    static String codexExporter(String otlpEndpoint, String key, String signal) {
        return key + " = { otlp-http = { endpoint = \"" + otlpEndpoint + "/v1/" + signal
                + "\", protocol = \"binary\", headers = { \"Authorization\" = \"Bearer " + TOKEN_PLACEHOLDER + "\" } } }";
    }

    /** The {@code telemetry} block of {@code ~/.gemini/settings.json}. */
    static String geminiSettings(String otlpEndpoint) {
        return "{\"telemetry\": {\"enabled\": true, \"target\": \"local\", \"useCollector\": true, \"otlpEndpoint\": \""
                + otlpEndpoint + "\", \"otlpProtocol\": \"http\"}}";
    }

    /** Gemini CLI's OpenTelemetry exporters take their headers from the standard variable. */
    static String headersEnv(String tokenCommand) {
        return "OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer $(" + tokenCommand + ")\"";
    }
}
