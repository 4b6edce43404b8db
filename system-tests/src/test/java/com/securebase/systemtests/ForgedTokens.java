package com.securebase.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * JWTs made by hand, as an attacker or the platform's operator would: signed with the run's key
 * (what only the gateway should hold), with another key, with {@code alg: none}, or altered after
 * signing. By hand because a JWT library refuses to produce most of these.
 */
final class ForgedTokens {
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private final PrivateKey runKey;
  private final PrivateKey strangerKey;

  ForgedTokens(Path privatePem) throws Exception {
    String pem =
        Files.readString(privatePem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    runKey =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    strangerKey = generator.generateKeyPair().getPrivate();
  }

  /** A token of the gateway's shape for {@code tenant}, signed with the run's key. */
  String issued(UUID tenant, String tier, String... roles) {
    ObjectNode claims = EventJson.MAPPER.createObjectNode();
    long now = Instant.now().getEpochSecond();
    claims.put("iss", "securebase");
    claims.put("sub", UUID.randomUUID().toString());
    claims.put("upn", "probe@securebase.test");
    claims.put("tenant", tenant.toString());
    claims.put("tier", tier);
    claims.put("kind", "user");
    claims.putArray("groups").addAll(java.util.Arrays.stream(roles).map(claims::textNode).toList());
    claims.put("iat", now);
    claims.put("exp", now + 3600);
    claims.put("jti", UUID.randomUUID().toString());
    return sign(header("RS256"), claims, runKey);
  }

  /** {@code token}'s claims changed by {@code change}, signed again with the run's key. */
  String resigned(String token, Consumer<ObjectNode> change) {
    return sign(headerOf(token), changed(token, change), runKey);
  }

  /** {@code token}'s claims, signed with a key the platform never saw. */
  String signedByStranger(String token) {
    return sign(headerOf(token), changed(token, c -> {}), strangerKey);
  }

  /** {@code token}'s claims changed after signing: the original signature no longer matches. */
  String tampered(String token, Consumer<ObjectNode> change) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(changed(token, change)) + "." + parts[2];
  }

  /** {@code token}'s claims with {@code alg: none} and no signature. */
  String unsigned(String token) {
    return encode(header("none")) + "." + encode(changed(token, c -> {})) + ".";
  }

  /** {@code token} expired {@code secondsAgo} (issued an hour before that). */
  String expired(String token, long secondsAgo) {
    long now = Instant.now().getEpochSecond();
    return resigned(
        token,
        c -> {
          c.put("iat", now - secondsAgo - 3600);
          c.put("exp", now - secondsAgo);
        });
  }

  private static ObjectNode header(String alg) {
    ObjectNode header = EventJson.MAPPER.createObjectNode();
    header.put("alg", alg);
    header.put("typ", "JWT");
    return header;
  }

  private static ObjectNode headerOf(String token) {
    return (ObjectNode) part(token, 0);
  }

  private static ObjectNode changed(String token, Consumer<ObjectNode> change) {
    ObjectNode claims = (ObjectNode) part(token, 1);
    change.accept(claims);
    return claims;
  }

  private static JsonNode part(String token, int index) {
    return EventJson.tree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
  }

  private static String sign(JsonNode header, JsonNode claims, PrivateKey key) {
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(JsonNode json) {
    return URL.encodeToString(EventJson.bytes(json));
  }
}
