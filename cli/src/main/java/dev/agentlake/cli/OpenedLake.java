package dev.agentlake.cli;

import dev.agentlake.cli.local.LocalLake;
import dev.agentlake.lake.store.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lake a one-shot subcommand works on, opened from the storage options: the embedded server
 * over {@code --data-dir} (started for the command's duration; a running {@code serve} on the same
 * folder is fine, both store plain files) or the {@code --s3-endpoint}.
 */
final class OpenedLake implements AutoCloseable {
    private final LocalLake lake;
    private final S3ObjectStore store;

    private OpenedLake(LocalLake lake) {
        this.lake = lake;
        this.store = S3ObjectStore.create(lake.settings());
    }

    /**
     * The lake of a command that reads it or changes what is in it ({@code report}, {@code query},
     * {@code export}, {@code delete}, {@code pricing unknown}, {@code doctor}): a mistyped
     * {@code --data-dir} is a usage error, not a new empty lake that answers "no data".
     */
    static OpenedLake existing(StorageOptions storage) {
        if (storage.embedded()) {
            Path bucket = storage.dataDir.resolve("s3").resolve(storage.bucket);
            if (!Files.isDirectory(bucket)) {
                throw new IllegalArgumentException("no lake at " + storage.dataDir + " (no folder " + bucket
                        + "; serve, import, import-bundle or compact create one)");
            }
            return open(storage);
        }
        LocalLake lake = LocalLake.externalAsIs(storage.s3Endpoint, storage.bucket, storage.accessKey,
                storage.secretKey, storage.region);
        try {
            if (!lake.bucketExists()) {
                throw new IllegalArgumentException("no lake at " + storage.s3Endpoint + " (no bucket " + storage.bucket
                        + "; serve, import, import-bundle or compact create one)");
            }
            return new OpenedLake(lake);
        } catch (RuntimeException e) {
            lake.close();
            throw e;
        }
    }

    /** The lake, created when missing: for {@code serve}, {@code import}, {@code import-bundle}, {@code compact}. */
    static OpenedLake open(StorageOptions storage) {
        LocalLake lake = storage.embedded()
                ? LocalLake.embedded(storage.dataDir.resolve("s3"), storage.bucket)
                : LocalLake.external(storage.s3Endpoint, storage.bucket, storage.accessKey, storage.secretKey,
                        storage.region);
        try {
            return new OpenedLake(lake);
        } catch (RuntimeException e) {
            lake.close();
            throw e;
        }
    }

    S3ObjectStore store() {
        return store;
    }

    LocalLake lake() {
        return lake;
    }

    @Override
    public void close() {
        store.close();
        lake.close();
    }
}
