package dev.ember.tensor.spi;

/**
 * Inclusive scans along one dimension ({@code cumsum}, {@code cumprod}, {@code cummax}, {@code cummin},
 * {@code logcumsumexp}, the last for floating types only).
 */
public enum ScanOp { SUM, PROD, MAX, MIN, LOGSUMEXP }
