package dev.agentlake.cli;

import dev.agentlake.lake.testing.LakeTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this process as a user would type it, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cmd = AgentlakeCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code args} followed by the storage options that point at {@code s3}. */
    static Run run(LakeTestServer s3, String... args) {
        var all = new ArrayList<>(List.of(args));
        all.addAll(storage(s3));
        return run(all.toArray(String[]::new));
    }

    static List<String> storage(LakeTestServer s3) {
        var s = s3.settings();
        return List.of("--s3-endpoint", s.endpoint(), "--bucket", s.bucket(), "--s3-access-key", s.accessKey(),
                "--s3-secret-key", s.secretKey());
    }
}
