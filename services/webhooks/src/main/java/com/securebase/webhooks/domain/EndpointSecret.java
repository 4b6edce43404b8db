package com.securebase.webhooks.domain;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signing secrets: {@code whsec_} + base64 of 32 random bytes. After a rotation the previous secret
 * keeps signing for {@link #OVERLAP}, so receivers can switch at their own pace.
 */
public final class EndpointSecret {
  public static final Duration OVERLAP = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private EndpointSecret() {}

  public static String generate() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** The secrets that sign a delivery made at {@code now}: the current one first. */
  public static List<String> signing(
      String current, String previous, Instant previousExpiresAt, Instant now) {
    List<String> secrets = new ArrayList<>(2);
    secrets.add(current);
    if (previous != null && previousExpiresAt != null && now.isBefore(previousExpiresAt)) {
      secrets.add(previous);
    }
    return secrets;
  }
}
