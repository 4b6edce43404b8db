package com.securebase.billing.domain;

/** A billable metric as defined in the {@code billable_metric} table. */
public record Metric(
    String code, String name, Aggregation aggregation, String uniqueField, String unit) {}
