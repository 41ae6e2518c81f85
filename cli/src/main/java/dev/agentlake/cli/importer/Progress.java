package dev.agentlake.cli.importer;

/** Reports how far long work got (the CLI shows a bar when attached to a terminal). */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void begin(String task, long total) {
        }

        @Override
        public void advance(long done) {
        }

        @Override
        public void end() {
        }
    };

    void begin(String task, long total);

    void advance(long done);

    void end();
}
