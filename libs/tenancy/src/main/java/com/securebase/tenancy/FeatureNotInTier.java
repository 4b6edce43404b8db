package com.securebase.tenancy;

import com.securebase.problem.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 403 with problem type {@code feature-not-in-tier}: the caller's tier lacks a feature of the tier
 * feature matrix, or has reached its limit. The {@code feature} member names it (as in the matrix
 * and the JWT {@code features} claim) so a client can offer the upgrade.
 */
public class FeatureNotInTier extends ProblemException {
  public static final String TYPE = "feature-not-in-tier";

  private FeatureNotInTier(String feature, String tier, String detail, Integer limit) {
    super(403, TYPE, "Feature not in tier", detail, members(feature, tier, limit));
  }

  /** A feature the tier does not have at all. */
  public static FeatureNotInTier missing(String feature, String tier) {
    return new FeatureNotInTier(
        feature, tier, "The " + tier + " tier does not include " + feature, null);
  }

  /** A counted feature (seats, webhook endpoints) whose tier limit is reached. */
  public static FeatureNotInTier limitReached(String feature, String tier, int limit) {
    return new FeatureNotInTier(
        feature, tier, "The " + tier + " tier allows at most " + limit + " " + feature, limit);
  }

  private static Map<String, Object> members(String feature, String tier, Integer limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature", feature);
    m.put("tier", tier);
    if (limit != null) {
      m.put("limit", limit);
    }
    return m;
  }
}
