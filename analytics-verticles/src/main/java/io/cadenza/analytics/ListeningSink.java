package io.cadenza.analytics;

import io.cadenza.config.CadenzaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the listening events: writes each event into the listening log and commits a
 * polled batch's offsets only once every record of it is durable, written ({@link
 * ListeningLog#writeAll}, idempotent) or dead-lettered. A crash or a rebalance therefore re-reads
 * at most the uncommitted batch, and writing it again changes nothing.
 *
 * <p>The consumer runs on a thread of its own ({@link KafkaConsumer} is not thread-safe and its
 * calls block): poll, write the batch with up to {@code max-in-flight} events in flight, commit,
 * poll again. Since it polls only between batches, a rebalance never finds work in progress.
 * Transient write failures (timeouts, an unavailable replica) are retried with backoff for as long
 * as it takes; a record that can never be written (unreadable, an unknown schema, a failing rule, a
 * write ScyllaDB refuses) goes to the dead-letter topic with its key, value and headers, plus
 * headers saying why and where it came from, and its partition goes on.
 *
 * <p>While a batch waits for ScyllaDB the consumer does not poll: an outage longer than {@code
 * max.poll.interval.ms} (5 min) moves its partitions to another consumer, which reads the
 * uncommitted batch again; the lag gauge keeps its last value meanwhile.
 *
 * <p>Meters: {@value #LAG} (records behind the log end on this consumer's partitions, tagged with
 * the consumer), {@value #EVENTS} by {@code outcome} ({@code written}, {@code dead_lettered}),
 * {@value #RETRIES}, and the timer {@value #BATCH}.
 */
public final class ListeningSink extends VerticleBase {

  /** Header of a dead-lettered record: why it could not be processed. */
  public static final String REASON_HEADER = "cadenza.dlq.reason";

  /** Header of a dead-lettered record: the topic it was read from. */
  public static final String TOPIC_HEADER = "cadenza.dlq.topic";

  /** Header of a dead-lettered record: the partition it was read from. */
  public static final String PARTITION_HEADER = "cadenza.dlq.partition";

  /** Header of a dead-lettered record: its offset in that partition. */
  public static final String OFFSET_HEADER = "cadenza.dlq.offset";

  /** Gauge: records behind the log end, summed over the consumer's partitions. */
  public static final String LAG = "cadenza.listening.sink.lag";

  /** Counter of processed events, tagged {@code outcome=written|dead_lettered}. */
  public static final String EVENTS = "cadenza.listening.sink.events";

  /** Counter of write and dead-letter attempts that failed transiently and were retried. */
  public static final String RETRIES = "cadenza.listening.sink.retries";

  /** Timer: how long a polled batch takes to become durable. */
  public static final String BATCH = "cadenza.listening.sink.batch";

  /** Partitions of the events topic and of the dead-letter topic when they are not configured. */
  static final int EVENT_PARTITIONS = 12;

  static final int DEAD_LETTER_PARTITIONS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ListeningSink.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long LAG_ASK_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final Duration CLOSE = Duration.ofSeconds(5);

  private final CadenzaSettings settings;
  private final String clientId;
  private final ListeningLog log;
  private final Producer<String, byte[]> deadLetters;
  private final MeterRegistry metrics;
  private final Counter writtenMeter;
  private final Counter deadLetteredMeter;
  private final Timer batchTimer;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final Semaphore inFlight;
  private final Promise<Void> finished = Promise.promise();
  private Retrying retrying;
  private Gauge lagGauge;
  private Thread thread;
  private volatile boolean stopping;
  private volatile boolean abandoned;
  private long lagAskedAt;

  /**
   * @param clientId the consumer's Kafka client id, unique in the process (it tags the lag gauge)
   * @param log where events are written
   * @param deadLetters an idempotent, acks=all producer for the dead-letter topic
   */
  public ListeningSink(
      CadenzaSettings settings,
      String clientId,
      ListeningLog log,
      Producer<String, byte[]> deadLetters,
      MeterRegistry metrics) {
    this.settings = settings;
    this.clientId = clientId;
    this.log = log;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.inFlight = new Semaphore(settings.listening().maxInFlight());
    this.writtenMeter =
        Counter.builder(EVENTS)
            .description("Listening events the sink made durable, by outcome")
            .tag("outcome", "written")
            .register(metrics);
    this.deadLetteredMeter =
        Counter.builder(EVENTS)
            .description("Listening events the sink made durable, by outcome")
            .tag("outcome", "dead_lettered")
            .register(metrics);
    this.batchTimer =
        Timer.builder(BATCH)
            .description("Time from a polled batch to every record of it written or dead-lettered")
            .register(metrics);
  }

  /**
   * The two listening topics with their partitions: as listed in {@code cadenza.kafka.topics}, else
   * {@value #EVENT_PARTITIONS} for the events and {@value #DEAD_LETTER_PARTITIONS} for the dead
   * letters (for names set in {@code cadenza.listening}).
   */
  public static List<CadenzaSettings.TopicSpec> topics(CadenzaSettings settings) {
    Map<String, CadenzaSettings.TopicSpec> listed = new HashMap<>();
    settings.kafka().topics().forEach(t -> listed.put(t.name(), t));
    String events = settings.listening().topic();
    String dead = settings.listening().deadLetterTopic();
    return List.of(
        listed.getOrDefault(events, new CadenzaSettings.TopicSpec(events, EVENT_PARTITIONS)),
        listed.getOrDefault(dead, new CadenzaSettings.TopicSpec(dead, DEAD_LETTER_PARTITIONS)));
  }

  @Override
  public Future<?> start() {
    retrying = new Retrying(metrics.counter(RETRIES), () -> abandoned);
    lagGauge =
        Gauge.builder(LAG, lag, AtomicLong::get)
            .description("Listening events not yet consumed (log end minus position)")
            .tag("consumer", clientId)
            .register(metrics);
    lagAskedAt = System.nanoTime() - LAG_ASK_NANOS;
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig());
    thread = new Thread(() -> run(consumer), "listening-sink-" + clientId);
    thread.setDaemon(true);
    thread.start();
    return Future.succeededFuture();
  }

  /**
   * Finishes the batch in progress, commits it and leaves the group; after the node's shutdown
   * timeout a batch still not durable (ScyllaDB away) is abandoned uncommitted, to be read again by
   * the next owner.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    long timer =
        vertx.setTimer(
            settings.node().shutdownTimeout().toMillis(),
            id -> {
              abandoned = true;
              LOG.warn(
                  "Listening sink {} abandons its batch: not durable after the shutdown timeout;"
                      + " its records stay uncommitted and are read again.",
                  clientId);
            });
    return finished
        .future()
        .onComplete(
            done -> {
              vertx.cancelTimer(timer);
              metrics.remove(lagGauge);
              LOG.info(
                  "Listening sink {} stopped: {} events written, {} dead-lettered.",
                  clientId,
                  written.get(),
                  deadLettered.get());
            });
  }

  /** Events this consumer wrote since it started (duplicates of a replay included). */
  public long written() {
    return written.get();
  }

  /** Events this consumer sent to the dead-letter topic since it started. */
  public long deadLettered() {
    return deadLettered.get();
  }

  private Properties consumerConfig() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServersString());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.listening().consumerGroup());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        Math.max(500, 2 * settings.listening().maxInFlight()));
    // A consumer that died (kill -9) hands its partitions over after 10 s rather than Kafka's 45 s.
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    return config;
  }

  private void run(KafkaConsumer<String, byte[]> consumer) {
    try {
      consumer.subscribe(List.of(settings.listening().topic()), new Rebalances());
      LOG.info(
          "Listening sink {} consumes {} in group {}.",
          clientId,
          settings.listening().topic(),
          settings.listening().consumerGroup());
      while (!stopping) {
        try {
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
          if (!records.isEmpty()) {
            boolean durable;
            try {
              durable = makeDurable(records);
            } catch (RuntimeException e) {
              LOG.error("Listening sink {} failed a batch; it reads it again.", clientId, e);
              durable = false;
            }
            if (durable) {
              commit(consumer, records);
            } else if (abandoned) {
              break;
            } else {
              readAgain(consumer, records);
            }
          }
          refreshLag(consumer);
        } catch (KafkaException e) {
          // Poll's own errors (e.g. an authorization change) are logged and the loop polls again.
          LOG.warn(
              "Listening sink {} could not poll, retrying in a second: {}", clientId, e.toString());
          pause(Duration.ofSeconds(1));
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Listening sink {} stopped on an unexpected error.", clientId, e);
    } finally {
      try {
        consumer.close(CLOSE);
      } catch (RuntimeException e) {
        LOG.warn("Listening sink {} did not close cleanly: {}", clientId, e.toString());
      }
      finished.tryComplete();
    }
  }

  /**
   * Writes or dead-letters every record of the batch and waits until all are durable. Unreadable
   * records go to the dead-letter topic at once; the events, in {@link ListeningLog#writeOrder} (so
   * that a chunk's chart rows share partitions), go in chunks of half of {@code max-in-flight}
   * through {@link ListeningLog#writeAll} (fewer requests than one write each), two chunks at a
   * time, so at most {@code max-in-flight} events are in flight.
   *
   * @return false when the batch was abandoned at shutdown (it must not be committed)
   */
  private boolean makeDurable(ConsumerRecords<String, byte[]> records) {
    long start = System.nanoTime();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    List<Read> read = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        ListeningEvent event = ListeningEventJson.read(record.value());
        read.add(new Read(record, event, ListeningLog.writeOrder(event)));
      } catch (InvalidListeningEvent e) {
        pending.add(deadLetter(record, e.getMessage()).toCompletableFuture());
      } catch (RuntimeException e) {
        // A reader's bug must not stop the partition either.
        pending.add(deadLetter(record, "unreadable: " + e).toCompletableFuture());
      }
    }
    read.sort(Comparator.comparingLong(Read::order));
    int chunkSize = Math.max(1, settings.listening().maxInFlight() / 2);
    for (int from = 0; from < read.size(); from += chunkSize) {
      List<Read> chunk = read.subList(from, Math.min(read.size(), from + chunkSize));
      List<ConsumerRecord<String, byte[]>> chunkRecords = new ArrayList<>(chunk.size());
      List<ListeningEvent> chunkEvents = new ArrayList<>(chunk.size());
      for (Read r : chunk) {
        chunkRecords.add(r.record());
        chunkEvents.add(r.event());
      }
      pending.add(writeChunk(chunkRecords, chunkEvents));
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    while (true) {
      try {
        all.get(200, TimeUnit.MILLISECONDS);
        batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        if (abandoned) {
          return false;
        }
      } catch (ExecutionException e) {
        // Only an abandoned retry should fail here: every other failure is retried or
        // dead-lettered. Anything else is a fault of the sink: the batch is read again.
        if (!abandoned) {
          LOG.error(
              "Listening sink {} failed a batch; it reads the batch again.",
              clientId,
              e.getCause());
        }
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Writes a chunk of events together, retried as a whole while failures are transient (every write
   * is idempotent). When ScyllaDB refuses the chunk for good, each event is written on its own so
   * that only those it refuses are dead-lettered.
   */
  private CompletableFuture<Void> writeChunk(
      List<ConsumerRecord<String, byte[]>> chunkRecords, List<ListeningEvent> events) {
    if (abandoned) {
      return CompletableFuture.failedFuture(new IllegalStateException("abandoned at shutdown"));
    }
    int permits = events.size();
    inFlight.acquireUninterruptibly(permits);
    CompletableFuture<Void> done;
    try {
      done =
          retrying
              .write(() -> log.writeAll(events))
              .handle(
                  (v, failure) -> {
                    if (failure == null) {
                      written.addAndGet(events.size());
                      writtenMeter.increment(events.size());
                      return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (abandoned) {
                      return CompletableFuture.<Void>failedFuture(Retrying.unwrap(failure));
                    }
                    List<CompletableFuture<Void>> each = new ArrayList<>(events.size());
                    for (int k = 0; k < events.size(); k++) {
                      each.add(writeOne(chunkRecords.get(k), events.get(k)));
                    }
                    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
                  })
              .thenCompose(stage -> stage);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((v, e) -> inFlight.release(permits));
    return done;
  }

  /** A record, the event read from it and the event's {@link ListeningLog#writeOrder}. */
  private record Read(ConsumerRecord<String, byte[]> record, ListeningEvent event, long order) {}

  /** Writes one event, retried while failures are transient, else dead-lettered. */
  private CompletableFuture<Void> writeOne(
      ConsumerRecord<String, byte[]> record, ListeningEvent event) {
    return retrying
        .write(() -> log.write(event))
        .handle(
            (v, failure) -> {
              if (failure == null) {
                written.incrementAndGet();
                writtenMeter.increment();
                return CompletableFuture.<Void>completedFuture(null);
              }
              Throwable cause = Retrying.unwrap(failure);
              if (abandoned) {
                return CompletableFuture.<Void>failedFuture(cause);
              }
              LOG.warn(
                  "Listening sink {} dead-letters event {} of user {}: ScyllaDB refused it: {}",
                  clientId,
                  event.eventId(),
                  event.userId(),
                  cause.toString());
              return deadLetter(record, "not written: " + cause.getMessage()).toCompletableFuture();
            })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(
            settings.listening().deadLetterTopic(),
            null,
            record.key(),
            record.value(),
            deadLetterHeaders(record, reason));
    return retrying
        .send(
            () -> {
              CompletableFuture<Void> acked = new CompletableFuture<>();
              deadLetters.send(
                  dead,
                  (metadata, e) -> {
                    if (e == null) {
                      acked.complete(null);
                    } else {
                      acked.completeExceptionally(e);
                    }
                  });
              return acked;
            })
        .thenRun(
            () -> {
              deadLettered.incrementAndGet();
              deadLetteredMeter.increment();
              LOG.info(
                  "Listening sink {} sent {}-{}@{} to {}: {}",
                  clientId,
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  settings.listening().deadLetterTopic(),
                  reason);
            });
  }

  /** The original record's headers and then the reason and the record's origin. */
  static RecordHeaders deadLetterHeaders(ConsumerRecord<?, ?> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    headers.add(REASON_HEADER, utf8(reason == null ? "unknown" : reason));
    headers.add(TOPIC_HEADER, utf8(record.topic()));
    headers.add(PARTITION_HEADER, utf8(Integer.toString(record.partition())));
    headers.add(OFFSET_HEADER, utf8(Long.toString(record.offset())));
    return headers;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Commits the offset after each partition's last record. A failed commit (the partition moved to
   * another consumer, Kafka unreachable for longer than the call's timeout) loses nothing: the
   * records are read again from the last commit, and writing them again changes nothing.
   */
  private void commit(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> of = records.records(partition);
      ConsumerRecord<String, byte[]> last = of.get(of.size() - 1);
      offsets.put(partition, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
    }
    try {
      consumer.commitSync(offsets);
    } catch (KafkaException e) {
      LOG.warn(
          "Listening sink {} could not commit {} (its records will be read and written again):"
              + " {}",
          clientId,
          offsets,
          e.toString());
    }
  }

  /** Moves back to each partition's first record of the batch, so nothing of it is skipped. */
  private void readAgain(
      KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
    }
    pause(Duration.ofSeconds(1));
  }

  /**
   * The records between this consumer's position and the log end, from what the last fetches
   * reported (no request); partitions not fetched yet are asked of the brokers, at most every few
   * seconds.
   */
  private void refreshLag(KafkaConsumer<String, byte[]> consumer) {
    long total = 0;
    Set<TopicPartition> unknown = new HashSet<>();
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong known = consumer.currentLag(partition);
      if (known.isPresent()) {
        total += known.getAsLong();
      } else {
        unknown.add(partition);
      }
    }
    if (!unknown.isEmpty()) {
      long now = System.nanoTime();
      if (now - lagAskedAt < LAG_ASK_NANOS) {
        return;
      }
      lagAskedAt = now;
      try {
        Map<TopicPartition, Long> ends = consumer.endOffsets(unknown, Duration.ofSeconds(2));
        for (TopicPartition partition : unknown) {
          total +=
              Math.max(
                  0, ends.get(partition) - consumer.position(partition, Duration.ofSeconds(2)));
        }
      } catch (KafkaException e) {
        LOG.debug("Listening sink {} could not read its lag: {}", clientId, e.toString());
        return;
      }
    }
    lag.set(total);
  }

  private void pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    while (!stopping && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Rebalances find no work in progress (the consumer polls only between batches, each committed or
   * given up), so they only log.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.info("Listening sink {} hands over {}.", clientId, partitions);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.info("Listening sink {} takes {}.", clientId, partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn(
          "Listening sink {} lost {} (its uncommitted records go to the next owner).",
          clientId,
          partitions);
    }
  }
}
