package com.securebase.forecasting.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One stored cost: a service's spend over one day or one month, whatever its source. */
public record CostPoint(
    String service,
    Granularity granularity,
    LocalDate periodStart,
    String currency,
    BigDecimal amount) {}
