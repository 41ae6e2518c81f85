package dev.agentlake.lake.snapshot;

/**
 * What a commit attempt did, as in Iceberg: the committer acts differently on each.
 * <ul>
 *   <li>{@link #COMMITTED}: the new snapshot is the lake's state; clean up what it superseded.</li>
 *   <li>{@link #CONFLICT}: another writer committed that version first; delete our new files, re-read, retry.</li>
 *   <li>{@link #UNKNOWN}: the store did not answer; delete nothing (our snapshot may be live), re-read and decide.</li>
 * </ul>
 */
public enum CommitOutcome {
    COMMITTED,
    CONFLICT,
    UNKNOWN
}
