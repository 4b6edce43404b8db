package com.securebase.billing.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric's price in a price book. Tier bounds are inclusive upper bounds on the quantity
 * ({@code upTo}); the last tier is open ({@code upTo} null). Amounts come out exact; the invoice
 * line rounds them (see {@link Money#cents}).
 */
public record Charge(
    String metricCode,
    ChargeModel model,
    BigDecimal unitAmount,
    List<Tier> tiers,
    BigDecimal packageSize,
    BigDecimal packageAmount,
    BigDecimal freeUnits) {

  public record Tier(BigDecimal upTo, BigDecimal unitAmount, BigDecimal flatAmount) {}

  public Charge {
    switch (model) {
      case STANDARD -> require(unitAmount != null, "a standard charge needs unitAmount");
      case GRADUATED, VOLUME -> {
        require(tiers != null && !tiers.isEmpty(), model.code() + " needs tiers");
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
          Tier t = tiers.get(i);
          boolean last = i == tiers.size() - 1;
          require(last == (t.upTo() == null), "only the last tier is open-ended");
          require(t.upTo() == null || t.upTo().compareTo(previous) > 0, "tiers must ascend");
          previous = t.upTo() == null ? previous : t.upTo();
        }
        tiers = List.copyOf(tiers);
      }
      case PACKAGE -> {
        require(
            packageSize != null && packageSize.signum() > 0, "a package charge needs packageSize");
        require(packageAmount != null, "a package charge needs packageAmount");
        freeUnits = freeUnits == null ? BigDecimal.ZERO : freeUnits;
      }
    }
  }

  /** The exact amount for an aggregated quantity. */
  public BigDecimal amount(BigDecimal quantity) {
    if (quantity.signum() < 0) {
      throw new IllegalArgumentException("quantity must not be negative");
    }
    return switch (model) {
      case STANDARD -> quantity.multiply(unitAmount);
      case GRADUATED -> graduated(quantity);
      case VOLUME -> volume(quantity);
      case PACKAGE -> {
        BigDecimal billable = quantity.subtract(freeUnits).max(BigDecimal.ZERO);
        BigDecimal packages = billable.divide(packageSize, 0, RoundingMode.CEILING);
        yield packages.multiply(packageAmount);
      }
    };
  }

  private BigDecimal graduated(BigDecimal quantity) {
    BigDecimal total = BigDecimal.ZERO;
    BigDecimal lower = BigDecimal.ZERO;
    for (Tier t : tiers) {
      if (quantity.compareTo(lower) <= 0) {
        break;
      }
      BigDecimal upper = t.upTo() == null ? quantity : t.upTo().min(quantity);
      total = total.add(upper.subtract(lower).multiply(t.unitAmount())).add(t.flatAmount());
      lower = upper;
    }
    return total;
  }

  private BigDecimal volume(BigDecimal quantity) {
    for (Tier t : tiers) {
      if (t.upTo() == null || quantity.compareTo(t.upTo()) <= 0) {
        return quantity.signum() == 0
            ? BigDecimal.ZERO
            : quantity.multiply(t.unitAmount()).add(t.flatAmount());
      }
    }
    throw new IllegalStateException("unreachable: the last tier is open-ended");
  }

  /** Reads the {@code price_charge.properties} JSON of a model. */
  public static Charge of(String metricCode, ChargeModel model, JsonNode p) {
    List<Tier> tiers = null;
    if (p.has("tiers")) {
      tiers = new ArrayList<>();
      for (JsonNode t : p.get("tiers")) {
        tiers.add(
            new Tier(
                decimal(t.get("upTo")),
                decimal(t.get("unitAmount")),
                decimalOrZero(t, "flatAmount")));
      }
    }
    return new Charge(
        metricCode,
        model,
        decimal(p.get("unitAmount")),
        tiers,
        decimal(p.get("packageSize")),
        decimal(p.get("packageAmount")),
        decimal(p.get("freeUnits")));
  }

  private static BigDecimal decimal(JsonNode node) {
    return node == null || node.isNull() ? null : new BigDecimal(node.asText());
  }

  private static BigDecimal decimalOrZero(JsonNode parent, String field) {
    BigDecimal value = decimal(parent.get(field));
    return value == null ? BigDecimal.ZERO : value;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
