package com.securebase.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bearer secret: a type prefix ({@code sb_live_}, {@code sb_rt_}, {@code sb_inv_}) and 256 random
 * bits in base64url. Only its SHA-256 is ever stored, so a database leak yields nothing usable; a
 * plain hash suffices because the secret has full entropy (no dictionary to try).
 */
public record SecretToken(String value) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int RANDOM_BYTES = 32;
  private static final int ENCODED_LENGTH = 43;

  public static SecretToken generate(String prefix) {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return new SecretToken(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** Whether a presented string has the shape of a token of this type (before any lookup). */
  public static boolean wellFormed(String prefix, String candidate) {
    return candidate != null
        && candidate.startsWith(prefix)
        && candidate.length() == prefix.length() + ENCODED_LENGTH
        && candidate.substring(prefix.length()).chars().allMatch(SecretToken::base64url);
  }

  public byte[] sha256() {
    return sha256(value);
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return value.substring(0, value.indexOf('_', 3) + 1) + "…"; // never log the secret
  }

  private static boolean base64url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
