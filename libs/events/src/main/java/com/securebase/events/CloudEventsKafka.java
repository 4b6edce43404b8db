package com.securebase.events;

import com.securebase.catalog.EventCatalog;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * CloudEvents 1.0 Kafka protocol binding in binary mode, through the official SDK: attributes in
 * {@code ce_*} headers, {@code content-type: application/json}, data as the record value, the
 * tenant id as the record key (so one tenant's events stay in order on one partition).
 */
public final class CloudEventsKafka {
  /**
   * The extension attribute carrying the tenant (CloudEvents names are lower-case alphanumeric).
   */
  public static final String TENANT_EXTENSION = "tenantid";

  public static final String CONTENT_TYPE = "application/json";

  private CloudEventsKafka() {}

  /** The record for the catalog topic of the event's type. */
  public static ProducerRecord<String, byte[]> toRecord(EventEnvelope event) {
    String topic = EventCatalog.load().type(event.type()).topic();
    return toRecord(topic, event);
  }

  public static ProducerRecord<String, byte[]> toRecord(String topic, EventEnvelope event) {
    return KafkaMessageFactory.createWriter(topic, event.tenantId())
        .writeBinary(toCloudEvent(event));
  }

  public static CloudEvent toCloudEvent(EventEnvelope event) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(event.id())
            .withType(event.type())
            .withSource(event.source())
            .withTime(event.time())
            .withDataContentType(CONTENT_TYPE)
            .withExtension(TENANT_EXTENSION, event.tenantId())
            .withData(EventJson.bytes(event.data()));
    if (event.subject() != null) {
      builder.withSubject(event.subject());
    }
    if (event.dataSchema() != null) {
      builder.withDataSchema(event.dataSchema());
    }
    return builder.build();
  }

  /**
   * A CloudEvents attribute ({@code id}, {@code type}, {@code tenantid}, ...) of a record written
   * in binary mode, read from its {@code ce_} header without decoding the event, so a consumer can
   * pass over records it has no use for cheaply; null when the record has no such header (a
   * structured-mode record: decode it to know).
   */
  public static String peek(ConsumerRecord<String, byte[]> record, String attribute) {
    Header header = record.headers().lastHeader("ce_" + attribute);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Reads a record written in binary (or structured) mode.
   *
   * @throws MalformedEventException when the record is not a complete SecureBase CloudEvent
   */
  public static EventEnvelope fromRecord(ConsumerRecord<String, byte[]> record) {
    CloudEvent event;
    try {
      MessageReader reader = KafkaMessageFactory.createReader(record);
      event = reader.toEvent();
    } catch (CloudEventRWException | IllegalStateException e) {
      throw new MalformedEventException(
          "Record "
              + record.topic()
              + "/"
              + record.partition()
              + "@"
              + record.offset()
              + " is not a CloudEvent: "
              + e.getMessage(),
          e);
    }
    Object tenant = event.getExtension(TENANT_EXTENSION);
    if (tenant == null) {
      throw new MalformedEventException("CloudEvent " + event.getId() + " has no tenantid");
    }
    if (!EventEnvelope.validTenant(tenant.toString())) {
      throw new MalformedEventException(
          "CloudEvent " + event.getId() + " has an invalid tenantid '" + tenant + "'");
    }
    if (event.getData() == null || event.getTime() == null) {
      throw new MalformedEventException("CloudEvent " + event.getId() + " lacks data or time");
    }
    return new EventEnvelope(
        event.getId(),
        event.getType(),
        event.getSource(),
        tenant.toString(),
        event.getSubject(),
        event.getTime().withOffsetSameInstant(ZoneOffset.UTC),
        event.getDataSchema(),
        EventJson.tree(event.getData().toBytes()));
  }
}
