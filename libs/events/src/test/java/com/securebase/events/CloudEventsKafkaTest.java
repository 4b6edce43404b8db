package com.securebase.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.catalog.InvalidEventDataException;
import com.securebase.catalog.UnknownEventTypeException;
import com.securebase.infra.LocalInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CloudEventsKafkaTest {
  private static final String TYPE = "securebase.support.ticket.created";
  private static String bootstrap;
  private final DomainEvents support = new DomainEvents("support");

  @BeforeAll
  static void broker() {
    bootstrap = LocalInfra.shared().kafka().bootstrapServers();
  }

  private EventEnvelope ticketCreated(String tenant) {
    ObjectNode data = EventCatalog.load().example(TYPE).deepCopy();
    data.put("tenantId", tenant);
    return support.create(TYPE, tenant, data.get("ticketId").asText(), data);
  }

  @Test
  void roundTripsThroughTheRealBrokerInBinaryMode() throws Exception {
    String tenant = UUID.randomUUID().toString();
    EventEnvelope sent = ticketCreated(tenant);
    ProducerRecord<String, byte[]> record = CloudEventsKafka.toRecord(sent);
    assertThat(record.topic()).isEqualTo("securebase.support.events");
    assertThat(record.key()).isEqualTo(tenant);

    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "events-test-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class))) {
      producer.send(record).get();
      consumer.subscribe(List.of(record.topic()));
      ConsumerRecord<String, byte[]> received = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (tenant.equals(r.key())) {
            received = r;
          }
        }
      }
      assertThat(received).as("event read back from the broker").isNotNull();
      assertThat(header(received, "ce_specversion")).isEqualTo("1.0");
      assertThat(header(received, "ce_type")).isEqualTo(TYPE);
      assertThat(header(received, "ce_id")).isEqualTo(sent.id());
      assertThat(header(received, "ce_source")).isEqualTo("/securebase/support");
      assertThat(header(received, "ce_tenantid")).isEqualTo(tenant);
      assertThat(header(received, "content-type")).isEqualTo("application/json");
      assertThat(header(received, "ce_dataschema"))
          .isEqualTo("https://schemas.securebase.dev/events/support/ticket");
      JsonNode value = EventJson.MAPPER.readTree(received.value());
      assertThat(value).as("binary mode: the value is the data itself").isEqualTo(sent.data());

      EventEnvelope read = CloudEventsKafka.fromRecord(received);
      assertThat(read).isEqualTo(sent);
      assertThat(read.dataAs(TicketView.class).subject())
          .isEqualTo(sent.data().get("subject").asText());
    }
  }

  @Test
  void refusesDataThatBreaksTheSchema() {
    ObjectNode data = EventCatalog.load().example(TYPE).deepCopy();
    data.put("priority", "urgent");
    data.remove("subject");
    assertThatThrownBy(() -> support.create(TYPE, UUID.randomUUID().toString(), null, data))
        .isInstanceOf(InvalidEventDataException.class)
        .satisfies(e -> assertThat(((InvalidEventDataException) e).violations()).hasSize(2));
  }

  @Test
  void refusesTypesOutsideTheCatalogOrOwnedByAnotherService() {
    assertThatThrownBy(
            () ->
                support.create(
                    "securebase.support.ticket.exploded", EventEnvelope.PLATFORM, null, Map.of()))
        .isInstanceOf(UnknownEventTypeException.class);
    JsonNode invoice = EventCatalog.load().example("securebase.billing.invoice.created");
    assertThatThrownBy(
            () ->
                support.create(
                    "securebase.billing.invoice.created",
                    UUID.randomUUID().toString(),
                    null,
                    invoice))
        .hasMessageContaining("may not emit");
  }

  @Test
  void aRecordWithoutCloudEventHeadersIsMalformed() {
    ConsumerRecord<String, byte[]> plain =
        new ConsumerRecord<>(
            "securebase.support.events", 0, 0L, "k", "{}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> CloudEventsKafka.fromRecord(plain))
        .isInstanceOf(MalformedEventException.class);

    ProducerRecord<String, byte[]> noTenant =
        CloudEventsKafka.toRecord(ticketCreated(UUID.randomUUID().toString()));
    noTenant.headers().remove("ce_tenantid");
    ConsumerRecord<String, byte[]> withoutTenant =
        new ConsumerRecord<>(noTenant.topic(), 0, 0L, noTenant.key(), noTenant.value());
    List<Header> headers = new ArrayList<>();
    noTenant.headers().forEach(headers::add);
    headers.forEach(h -> withoutTenant.headers().add(h));
    assertThatThrownBy(() -> CloudEventsKafka.fromRecord(withoutTenant))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("tenantid");
  }

  @Test
  void tenantIdsAreUuidsOrPlatform() {
    assertThatThrownBy(() -> ticketCreated("acme"))
        .hasMessageContaining("neither a UUID nor 'platform'");
    ProducerRecord<String, byte[]> record =
        CloudEventsKafka.toRecord(ticketCreated(UUID.randomUUID().toString()));
    record.headers().remove("ce_tenantid");
    record.headers().add("ce_tenantid", "acme".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<String, byte[]> forged =
        new ConsumerRecord<>(record.topic(), 0, 0L, "acme", record.value());
    record.headers().forEach(h -> forged.headers().add(h));
    assertThatThrownBy(() -> CloudEventsKafka.fromRecord(forged))
        .isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("invalid tenantid");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  record TicketView(String ticketId, String subject, String priority) {}
}
