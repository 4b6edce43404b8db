package com.securebase.billing.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

/** One version of a tier's prices: the base fee and a charge per metric. */
public record PriceBook(
    UUID id,
    String tier,
    int version,
    String currency,
    BigDecimal baseFee,
    Map<String, Charge> charges) {}
