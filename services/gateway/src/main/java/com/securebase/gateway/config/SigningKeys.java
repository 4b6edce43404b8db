package com.securebase.gateway.config;

import io.smallrye.jwt.util.KeyUtils;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The public half of the token-signing key pair (the private half is read by smallrye-jwt-build
 * from {@code smallrye.jwt.sign.key.location}), published as a JWK Set with an RFC 7638 thumbprint
 * as key id, so services and clients can verify tokens and follow key rotation.
 */
@ApplicationScoped
public class SigningKeys {
  @ConfigProperty(name = "mp.jwt.verify.publickey.location")
  String publicKeyLocation;

  private RSAPublicKey publicKey;
  private String keyId;

  @PostConstruct
  void load() {
    try {
      publicKey = (RSAPublicKey) KeyUtils.decodePublicKey(read(publicKeyLocation));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the JWT public key at " + publicKeyLocation, e);
    }
    keyId = thumbprint(publicKey);
  }

  /** A file path (optionally {@code file:}) or a classpath resource, as smallrye-jwt accepts. */
  private static String read(String location) throws java.io.IOException {
    java.nio.file.Path path = java.nio.file.Path.of(location.replaceFirst("^file:", ""));
    if (java.nio.file.Files.isRegularFile(path)) {
      return java.nio.file.Files.readString(path);
    }
    try (var in =
        SigningKeys.class
            .getClassLoader()
            .getResourceAsStream(location.replaceFirst("^classpath:", ""))) {
      if (in == null) {
        throw new java.io.FileNotFoundException(location);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  public String keyId() {
    return keyId;
  }

  public Map<String, Object> jwks() {
    return Map.of(
        "keys",
        List.of(
            Map.of(
                "kty",
                "RSA",
                "use",
                "sig",
                "alg",
                "RS256",
                "kid",
                keyId,
                "n",
                base64url(publicKey.getModulus().toByteArray()),
                "e",
                base64url(publicKey.getPublicExponent().toByteArray()))));
  }

  private static String thumbprint(RSAPublicKey key) {
    String canonical =
        "{\"e\":\""
            + base64url(key.getPublicExponent().toByteArray())
            + "\",\"kty\":\"RSA\",\"n\":\""
            + base64url(key.getModulus().toByteArray())
            + "\"}";
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unsigned big-endian, no leading zero byte, base64url without padding (RFC 7518 §6.3). */
  private static String base64url(byte[] bigEndian) {
    int start = bigEndian.length > 1 && bigEndian[0] == 0 ? 1 : 0;
    byte[] trimmed = java.util.Arrays.copyOfRange(bigEndian, start, bigEndian.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(trimmed);
  }
}
