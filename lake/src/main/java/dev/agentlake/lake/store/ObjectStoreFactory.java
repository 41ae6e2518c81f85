package dev.agentlake.lake.store;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Gives each function the lake's {@link ObjectStore}, built from {@link S3Settings}. */
@Factory
class ObjectStoreFactory {

    @Singleton
    @Bean(preDestroy = "close")
    S3ObjectStore objectStore(S3Settings settings) {
        return S3ObjectStore.create(settings);
    }
}
