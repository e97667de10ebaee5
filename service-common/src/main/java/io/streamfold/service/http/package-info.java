/**
 * The HTTP pieces both services share: RFC 9457 problem+json ({@link
 * io.streamfold.service.http.Problem}, one mapper in {@link io.streamfold.service.http.Problems}),
 * the JSON mapper, health routes, and forwarding a request to the instance that owns a key. Depends
 * on Javalin and Jackson.
 */
package io.streamfold.service.http;
