package io.scriptohio.gateway.cache;

/**
 * Reply of {@link CacheVerticle#ADDRESS}: the entry and how it was served.
 */
public record CacheReply(CachedResponse response, CacheStatus status) {
}
