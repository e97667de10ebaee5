/** The upcasters of the account contracts, one per major change; see the README. */
package io.streamfold.schemas.account.upcast;
