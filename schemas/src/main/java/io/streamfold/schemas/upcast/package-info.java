/**
 * Upcasting: reading events written with an older major version of their schema as the current
 * version, through a chain of {@link io.streamfold.schemas.upcast.Upcaster}s, for the changes that
 * Avro's schema resolution cannot express. The serde applies it on read; the build gate requires an
 * upcaster, with passing examples, for every major change.
 */
package io.streamfold.schemas.upcast;
