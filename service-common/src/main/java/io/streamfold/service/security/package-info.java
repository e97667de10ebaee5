/**
 * Optional authentication, authorization and rate limiting of the HTTP APIs, configured by
 * environment variables (see {@link io.streamfold.service.security.SecuritySettings}).
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>Off unless configured: with neither {@code AUTH_API_KEYS} nor a JWT key set, every caller
 *       is anonymous (development and trusted networks). Once either is set, every {@code /api/*}
 *       and {@code /internal/*} request must authenticate; health, metrics and the OpenAPI document
 *       stay open for probes and scrapers.
 *   <li>Two methods: API keys ({@code X-API-Key} or {@code Authorization: ApiKey ...}), kept only
 *       as SHA-256 digests and compared in constant time; and JWT bearer tokens signed HS256 (a
 *       shared secret of at least 256 bits) or RS256 (a PEM public key), with issuer, audience,
 *       expiry and not-before checked. The algorithm a token names must be one configured: a token
 *       cannot pick its own verifier ({@code none}, or HS256 signed with the RSA public key).
 *   <li>Two permissions: read (GET) and write (anything else). An API key carries one or both; a
 *       token carries them as OAuth scopes ({@code scope} or {@code scp}). Authenticated without
 *       the permission is 403; not authenticated is 401 with {@code WWW-Authenticate}.
 *   <li>Forwarding between instances passes the caller's own credentials, so the receiving instance
 *       checks them again; there is no trusted instance-to-instance path.
 *   <li>Rate limits are a token bucket per principal (per client address when anonymous) and per
 *       instance: N instances admit up to N times the rate. Beyond it: 429 with {@code
 *       Retry-After}.
 *   <li>Credentials never reach a log line or an error message: problems say what was wrong with a
 *       token (expired, wrong audience, bad signature), never echo it.
 * </ul>
 */
package io.streamfold.service.security;
