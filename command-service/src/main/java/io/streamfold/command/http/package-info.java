/**
 * The command API: routes, strict request validation, precondition headers and the request
 * fingerprint, routing to the partition's owner (here, or forwarded), and the mapping of outcomes
 * and write failures to status codes and problem+json. {@link
 * io.streamfold.command.http.CommandRoutes} is aggregate-agnostic; an aggregate contributes an
 * {@link io.streamfold.command.http.AggregateResource} (its JSON bodies and views). Depends on
 * {@code aggregate}, {@code writer} and Javalin.
 */
package io.streamfold.command.http;
