package com.securebase.gateway.domain;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one tier includes. The matrix is published as {@code tier.features_published} and its tier
 * name travels in every JWT, so services decide feature access without calling the gateway.
 */
public record TierFeatures(
    boolean reportScheduling,
    int forecastHorizonMonths,
    int webhookEndpoints,
    boolean sso,
    boolean whiteLabel,
    int rateLimitPerHour,
    int seats) {

  /** The matrix; standard's 100 requests per hour is the product's stated default. */
  public static final Map<Tier, TierFeatures> MATRIX = matrix();

  public static TierFeatures of(Tier tier) {
    return MATRIX.get(tier);
  }

  /** This row as the JWT {@code features} claim and the published event carry it. */
  public Map<String, Object> asClaims() {
    Map<String, Object> claims = new java.util.LinkedHashMap<>();
    claims.put("reportScheduling", reportScheduling);
    claims.put("forecastHorizonMonths", forecastHorizonMonths);
    claims.put("webhookEndpoints", webhookEndpoints);
    claims.put("sso", sso);
    claims.put("whiteLabel", whiteLabel);
    claims.put("rateLimitPerHour", rateLimitPerHour);
    claims.put("seats", seats);
    return claims;
  }

  private static Map<Tier, TierFeatures> matrix() {
    Map<Tier, TierFeatures> m = new EnumMap<>(Tier.class);
    m.put(Tier.STANDARD, new TierFeatures(false, 3, 3, false, false, 100, 10));
    m.put(Tier.FINTECH, new TierFeatures(true, 12, 20, true, false, 5_000, 100));
    m.put(Tier.HEALTHCARE, new TierFeatures(true, 12, 20, true, true, 5_000, 250));
    m.put(Tier.GOVERNMENT, new TierFeatures(true, 24, 50, true, true, 20_000, 1_000));
    return Map.copyOf(m);
  }
}
