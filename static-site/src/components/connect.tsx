import { useEffect, useState } from 'preact/hooks';
import * as api from '../api';
import { CopyBox, Tabs } from './ui';

type Cli = 'claude' | 'codex' | 'gemini';

/** Where the assistants should send telemetry: the ingest port (the server says which) on this page's host. */
export function defaultIngestUrl(loc: Pick<Location, 'hostname' | 'protocol'> = window.location, port: number | null = null): string {
  const host = loc.hostname || '127.0.0.1';
  return `${loc.protocol === 'https:' ? 'https' : 'http'}://${host}:${port ?? 4318}`;
}

export function connectSnippets(endpoint: string): Record<Cli, { label: string; file: string; text: string }> {
  const url = endpoint.replace(/\/+$/, '');
  return {
    claude: {
      label: 'Claude Code',
      file: 'shell profile (or "env" in ~/.claude/settings.json)',
      text: [
        'export CLAUDE_CODE_ENABLE_TELEMETRY=1',
        'export OTEL_METRICS_EXPORTER=otlp',
        'export OTEL_LOGS_EXPORTER=otlp',
        'export OTEL_TRACES_EXPORTER=otlp',
        'export CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1',
        'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        `export OTEL_EXPORTER_OTLP_ENDPOINT=${url}`,
        '# optional: which project and team the numbers belong to',
        'export OTEL_RESOURCE_ATTRIBUTES=project=my-project',
      ].join('\n'),
    },
    codex: {
      label: 'Codex CLI',
      file: '~/.codex/config.toml',
      text: [
        '[otel]',
        'environment = "dev"',
        `exporter = { otlp-http = { endpoint = "${url}/v1/logs", protocol = "binary" } }`,
        `trace_exporter = { otlp-http = { endpoint = "${url}/v1/traces", protocol = "binary" } }`,
        `metrics_exporter = { otlp-http = { endpoint = "${url}/v1/metrics", protocol = "binary" } }`,
      ].join('\n'),
    },
    gemini: {
      label: 'Gemini CLI',
      file: '~/.gemini/settings.json',
      text: JSON.stringify(
        { telemetry: { enabled: true, target: 'local', useCollector: true, otlpEndpoint: url, otlpProtocol: 'http' } },
        null,
        2,
      ),
    },
  };
}

/** The empty state: no data yet, so show how to point each assistant at this lake. */
export function ConnectHelp(props: { title?: string }) {
  const [endpoint, setEndpoint] = useState(defaultIngestUrl());
  const [edited, setEdited] = useState(false);
  const [cli, setCli] = useState<Cli>('claude');
  useEffect(() => {
    let live = true;
    // `agentlake serve --ingest-port N` listens elsewhere than 4318, and on AWS ingest has a URL of its own.
    api.connect().then((at) => {
      if (!live || edited) return;
      if (at.url) setEndpoint(at.url);
      else if (at.port !== null) setEndpoint(defaultIngestUrl(window.location, at.port));
    }).catch(() => { /* keep the default; the field is editable */ });
    return () => { live = false; };
  }, []);
  const snippets = connectSnippets(endpoint);
  return (
    <div class="connect" data-testid="connect-help">
      <h3>{props.title ?? 'No data in this time range yet'}</h3>
      <p class="muted">
        Point your assistants at the ingest endpoint and their sessions appear here within seconds. Running in AWS?
        Use your ingest function's URL and add <code>Authorization=Bearer …</code> to the exporter headers.
      </p>
      <label class="field">
        Ingest endpoint <input value={endpoint} onInput={(e) => { setEdited(true); setEndpoint((e.target as HTMLInputElement).value); }} spellcheck={false} />
      </label>
      <Tabs name="assistant" value={cli} onChange={(v) => setCli(v as Cli)} options={(['claude', 'codex', 'gemini'] as Cli[]).map((c) => ({ value: c, label: snippets[c].label }))} />
      <CopyBox label={snippets[cli].file} text={snippets[cli].text} />
    </div>
  );
}
