package dev.ember.api;

import io.restassured.RestAssured;

import java.util.function.BooleanSupplier;

/** Waiting for the background startup loads before a suite runs. */
public final class Await {
    private Await() {}

    public static void ready() {
        until(() -> RestAssured.get("/v2/health/ready").statusCode() == 200, "the server to become ready");
    }

    public static void until(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("waited 30 s for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
