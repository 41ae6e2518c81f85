package dev.agentlake.lake.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3-compatible HTTP server (S3Proxy) in this process, with SigV4 authentication. With a
 * folder, buckets are sub-folders and objects are plain files (the lake is readable without us);
 * without one, everything lives in memory (tests).
 *
 * <p>Used by {@code agentlake serve} as its default store and by tests; never part of a Lambda jar.
 */
public final class EmbeddedS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3Server(S3Proxy proxy, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts a server on {@code host:port} (port 0 picks a free one).
     *
     * @param folder where objects are stored, or null to keep them in memory
     */
    public static EmbeddedS3Server start(Path folder, String host, int port, String accessKey, String secretKey) {
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(accessKey, "accessKey is null");
        Objects.requireNonNull(secretKey, "secretKey is null");
        try {
            BlobStore store;
            if (folder == null) {
                store = new TransientNio2BlobStore();
            } else {
                createPrivately(folder);
                store = new FilesystemNio2BlobStore(folder.toAbsolutePath().toString());
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://" + host + ":" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
                }
                Thread.sleep(10);
            }
            return new EmbeddedS3Server(proxy, accessKey, secretKey);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded S3 server on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code folder} and any missing parent, the first of them readable by this account only: the
     * lake holds prompts and session data, and the umask would let every local account read them. An
     * existing folder keeps its permissions.
     */
    static void createPrivately(Path folder) throws java.io.IOException {
        Path first = folder.toAbsolutePath();
        if (Files.isDirectory(first)) {
            return;
        }
        while (first.getParent() != null && !Files.exists(first.getParent())) {
            first = first.getParent();
        }
        Files.createDirectories(folder);
        if (first.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(first, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    public int port() {
        return proxy.getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Settings that point a client at this server. */
    public S3Settings settings(String bucket) {
        return new S3Settings(endpoint(), bucket, accessKey, secretKey, "us-east-1", true,
                java.time.Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded S3 server", e);
        }
    }
}
