package com.securebase.testkit;

import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.infra.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads CloudEvents back from the real broker, as a downstream consumer would: a fresh consumer
 * group from the earliest offset, decoding every record with {@link CloudEventsKafka} (so a record
 * that is not a valid SecureBase CloudEvent fails the test).
 */
public final class BrokerEvents implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<EventEnvelope> seen = new ArrayList<>();

  private BrokerEvents(List<String> topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfra.shared().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "testkit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    consumer.subscribe(topics);
  }

  public static BrokerEvents on(String... topics) {
    return new BrokerEvents(List.of(topics));
  }

  /**
   * Publishes an event as another service would (binary CloudEvent, key = tenant) and waits for the
   * broker's acknowledgement.
   */
  public static void publish(String topic, EventEnvelope event) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfra.shared().kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(CloudEventsKafka.toRecord(topic, event)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("The broker refused the event", e.getCause());
    }
  }

  /**
   * Polls until {@code count} events matching {@code filter} arrived or {@code timeout} passed.
   *
   * @return every matching event seen, in partition order (may be more than {@code count})
   */
  public List<EventEnvelope> await(Predicate<EventEnvelope> filter, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matching(filter).size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        EventEnvelope event = CloudEventsKafka.fromRecord(record);
        if (!record.key().equals(event.tenantId())) {
          throw new AssertionError(
              "Record key " + record.key() + " is not the tenant " + event.tenantId());
        }
        seen.add(event);
      }
    }
    return matching(filter);
  }

  /** Everything matching that arrives within {@code window} (to prove that nothing more came). */
  public List<EventEnvelope> settle(Predicate<EventEnvelope> filter, Duration window) {
    return await(filter, Integer.MAX_VALUE, window);
  }

  private List<EventEnvelope> matching(Predicate<EventEnvelope> filter) {
    return seen.stream().filter(filter).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
