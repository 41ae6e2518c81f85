package dev.agentlake.cli;

import dev.agentlake.cli.importer.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr, only when a person is watching (a terminal); silent in scripts and tests. */
final class TerminalProgress implements Progress {
    private ProgressBar bar;
    private long done;

    static Progress forThisProcess() {
        return System.console() != null ? new TerminalProgress() : Progress.NONE;
    }

    @Override
    public void begin(String task, long total) {
        done = 0;
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, total))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).showSpeed().continuousUpdate().build();
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
