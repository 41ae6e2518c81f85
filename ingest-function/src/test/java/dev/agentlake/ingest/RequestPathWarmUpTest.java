package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Lambda handler's start-up warm-up ({@link RequestPathWarmUp}) swallows its failures, so a
 * change that breaks it (a new row check, a renamed class) would only show as a slower cold start:
 * this test makes it show here.
 */
class RequestPathWarmUpTest {

    @Test
    void givenTheMadeUpRecordWhenWarmingUpThenEveryStepRunsToAParquetFile() {
        assertThat(RequestPathWarmUp.run()).isTrue();
    }

    @Test
    void givenTheWarmUpThreadWhenAwaitedThenItHasFinishedAndLeftNoThreadBehind() {
        Thread thread = RequestPathWarmUp.start();

        RequestPathWarmUp.await(thread);

        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.isAlive()).isFalse();
    }
}
