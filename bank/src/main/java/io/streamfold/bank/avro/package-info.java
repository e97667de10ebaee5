/**
 * The account aggregate's Avro mapping: between the domain types of {@code domain.account} and the
 * classes generated from {@code schemas/}. The only package where both meet.
 */
package io.streamfold.bank.avro;
