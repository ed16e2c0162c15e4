package dev.ember.tensor.spi;

/** Inclusive scans along one dimension ({@code cumsum}, {@code cumprod}, {@code cummax}, {@code cummin}). */
public enum ScanOp { SUM, PROD, MAX, MIN }
