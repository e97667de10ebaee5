/** Logging helpers of every Streamfold service, configured by {@code logback.xml}. */
package io.streamfold.service.logging;
