package io.streamfold.projection.topology;

import io.streamfold.schemas.account.AccountEvent;

/**
 * An event as the projections read it: decoded (its writer's schema resolved to this service's),
 * and the bytes it had on the log, which the history keeps for stream reads.
 */
public record SourcedEvent(AccountEvent event, byte[] bytes) {}
