package com.securebase.notifications.channels;

import io.quarkus.qute.TemplateData;
import java.util.UUID;

/**
 * Everything a channel needs to send one delivery, read in the claiming transaction so the send
 * itself touches no database.
 */
@TemplateData
public record Outgoing(
    UUID deliveryId,
    String channel,
    String title,
    String body,
    String link,
    String severity,
    String recipientEmail,
    String recipientName,
    Branding branding,
    String slackWebhookUrl) {

  /** The tenant's look in emails and Slack messages. */
  @TemplateData
  public record Branding(String name, String primaryColor, String logoUrl) {}
}
