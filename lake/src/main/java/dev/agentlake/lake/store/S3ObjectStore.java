package dev.agentlake.lake.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} over AWS SDK v2 S3: AWS itself, MinIO, S3Proxy and LocalStack alike. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Builds the client the settings describe: endpoint override, path-style, static or default credentials. */
    public static S3ObjectStore create(S3Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                // One small HTTP client for every deployment; the SDK's default pulls in Apache's.
                .httpClient(UrlConnectionHttpClient.builder().build())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
                // S3-compatible servers do not all understand the SDK's default trailing checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(settings.callTimeout()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        if (settings.accessKey() != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return new S3ObjectStore(builder.build(), settings.bucket());
    }

    public String bucket() {
        return bucket;
    }

    /** Whether the bucket exists (and these credentials may see it). */
    public boolean bucketExists() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw classify("head bucket " + bucket, e);
        } catch (SdkException e) {
            throw classify("head bucket " + bucket, e);
        }
    }

    /** Creates the bucket if it does not exist (local and test setups; in AWS the stack owns it). */
    public void createBucketIfMissing() {
        if (bucketExists()) {
            return;
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (SdkException created) {
            throw classify("create bucket " + bucket, created);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) content.length),
                    RequestBody.fromBytes(content));
        } catch (SdkClientException e) {
            throw missingBucket(e).orElseGet(() -> classify("put " + key, e));
        } catch (SdkException e) {
            throw classify("put " + key, e);
        }
    }

    /**
     * After an upload broke off: whether the bucket is gone. A server may answer 404 NoSuchBucket before
     * reading the body and close the connection, and the client then sees only a failed write; the
     * user should still hear "no such bucket", not "unavailable". One HEAD, on failures only.
     */
    private Optional<RuntimeException> missingBucket(SdkClientException uploadFailure) {
        try {
            return bucketExists() ? Optional.empty()
                    : Optional.of(new StoreException("object store refused the write: no such bucket " + bucket, uploadFailure));
        } catch (RuntimeException probeFailed) {
            return Optional.empty(); // the store is unreachable: the upload's own failure says so
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentLength((long) content.length),
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            // 412: the key exists. 409: a concurrent conditional write to the same key is in flight
            // (S3's ConditionalRequestConflict); either way the key is not ours...
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                // ...unless the SDK retried: an earlier attempt may have created the object and lost
                // its answer (a dropped keep-alive connection does this), so the 412 may be our own.
                if (e.numAttempts() > 1) {
                    throw new RefusedAfterRetryException("put-if-absent " + key + ": outcome unknown, answered "
                            + e.statusCode() + " after " + e.numAttempts() + " attempts", e);
                }
                return false;
            }
            throw classify("put-if-absent " + key, e);
        } catch (SdkException e) {
            throw classify("put-if-absent " + key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(bytes.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw classify("get " + key, e);
        }
    }

    @Override
    public boolean download(String key, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try (var in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw classify("get " + key, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        try {
            var result = new ArrayList<StoredObject>();
            var request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                result.add(new StoredObject(o.key(), o.size(), stripQuotes(o.eTag()), o.lastModified()));
            }
            return result;
        } catch (SdkException e) {
            throw classify("list " + prefix, e);
        }
    }

    @Override
    public void delete(Collection<String> keys) {
        var all = List.copyOf(keys);
        // DeleteObjects takes at most 1,000 keys per call.
        for (int from = 0; from < all.size(); from += 1000) {
            var ids = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            try {
                var response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var e = response.errors().get(0);
                    throw new StoreUnavailableException("delete " + e.key() + ": " + e.code() + " " + e.message(), null);
                }
            } catch (SdkException e) {
                throw classify("delete " + ids.size() + " objects", e);
            }
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private static String stripQuotes(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** One place decides which S3 failures are worth retrying later. */
    static RuntimeException classify(String what, SdkException e) {
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            if (status >= 500 || status == 429 || status == 408) {
                return new StoreUnavailableException("object store unavailable (" + what + "): HTTP " + status, e);
            }
            return new StoreException("object store refused " + what + ": HTTP " + status + " "
                    + (s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode()), e);
        }
        if (e instanceof SdkClientException || e.retryable()) {
            return new StoreUnavailableException("object store unavailable (" + what + "): " + e.getMessage(), e);
        }
        return new StoreException("object store failed (" + what + "): " + e.getMessage(), e);
    }
}
