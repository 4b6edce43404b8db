package com.securebase.webhooks.domain;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.util.List;
import java.util.StringJoiner;

/**
 * The Standard Webhooks {@code webhook-signature} header value: {@code v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">} for each secret that currently signs (two during a rotation),
 * space-separated, computed by the official library.
 */
public final class SignatureV1 {
  private SignatureV1() {}

  public static String header(List<String> secrets, String webhookId, long timestamp, String body) {
    StringJoiner header = new StringJoiner(" ");
    for (String secret : secrets) {
      try {
        header.add(new Webhook(secret).sign(webhookId, timestamp, body));
      } catch (WebhookSigningException | EmptyWebhookSecretException e) {
        throw new IllegalStateException("Signing failed for webhook " + webhookId, e);
      }
    }
    return header.toString();
  }
}
