package dev.agentlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Lambda handler's priming for SnapStart ({@link RequestPathWarmUp}) swallows its failures, so a
 * change that breaks it (a new row check, a renamed class) would only show as a slower first request
 * after a restore: this test makes it show here.
 */
class RequestPathWarmUpTest {

    @Test
    void givenTheMadeUpRecordWhenPrimingThenEveryStepRunsToAParquetFileAndTheSdkWarmUp() {
        assertThat(RequestPathWarmUp.run()).isTrue();
    }

    @Test
    void givenLambdasInitialisationTypeThenOnlySnapshotsAndProvisionedConcurrencyArePrimed() {
        assertThat(RequestPathWarmUp.wanted("snap-start")).isTrue();
        assertThat(RequestPathWarmUp.wanted("provisioned-concurrency")).isTrue();
        assertThat(RequestPathWarmUp.wanted("on-demand")).isFalse();
        assertThat(RequestPathWarmUp.wanted(null)).isFalse();
    }
}
