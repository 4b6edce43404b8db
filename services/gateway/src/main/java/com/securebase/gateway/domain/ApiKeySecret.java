package com.securebase.gateway.domain;

/**
 * An API key secret, {@code sb_live_} + 256 random bits (base64url). Only its SHA-256, its prefix
 * and its last four characters are stored; the secret itself is shown once.
 */
public record ApiKeySecret(String value) {
  public static final String PREFIX = "sb_live_";

  public static ApiKeySecret generate() {
    return new ApiKeySecret(SecretToken.generate(PREFIX).value());
  }

  /** Whether a presented string is shaped like a key (cheap check before any lookup). */
  public static boolean looksLikeKey(String candidate) {
    return SecretToken.wellFormed(PREFIX, candidate);
  }

  public byte[] sha256() {
    return sha256(value);
  }

  public static byte[] sha256(String value) {
    return SecretToken.sha256(value);
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
}
