/**
 * The command gateway's HTTP side: routes, strict request validation, precondition headers, and the
 * mapping of outcomes to status codes and problem+json. {@link
 * io.streamfold.command.http.CommandRoutes} is aggregate-agnostic; an aggregate contributes an
 * {@link io.streamfold.command.http.AggregateResource} (its JSON bodies and views). Depends on
 * {@code aggregate}, {@code processing} and Javalin.
 */
package io.streamfold.command.http;
