package io.streamfold.service.security;

/**
 * Who made a request, as recorded in event metadata.
 *
 * @param name the API key's principal name or the token's subject
 * @param method how it authenticated: {@code api-key} or {@code jwt}
 * @param canRead may call GET endpoints
 * @param canWrite may send commands
 */
public record Principal(String name, String method, boolean canRead, boolean canWrite) {}
