package com.securebase.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An API key secret, {@code sb_live_} + 256 random bits (base64url). Only its SHA-256, its prefix
 * and its last four characters are stored; the secret itself is shown once.
 */
public record ApiKeySecret(String value) {
  public static final String PREFIX = "sb_live_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int RANDOM_BYTES = 32;

  public static ApiKeySecret generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return new ApiKeySecret(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** Whether a presented string is shaped like a key (cheap check before any lookup). */
  public static boolean looksLikeKey(String candidate) {
    return candidate != null
        && candidate.startsWith(PREFIX)
        && candidate.length() == PREFIX.length() + 43
        && candidate.substring(PREFIX.length()).chars().allMatch(ApiKeySecret::base64url);
  }

  public byte[] sha256() {
    return sha256(value);
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What listings show to identify a key: {@code sb_live_AbCd}. */
  public String displayPrefix() {
    return value.substring(0, PREFIX.length() + 4);
  }

  public String last4() {
    return value.substring(value.length() - 4);
  }

  @Override
  public String toString() {
    return displayPrefix() + "…" + last4(); // never log the secret
  }

  private static boolean base64url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
