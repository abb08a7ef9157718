package io.cadenza.load;

import com.datastax.oss.driver.api.core.CqlSession;
import io.cadenza.analytics.ListeningEvent;
import io.cadenza.analytics.ListeningEventJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The listening log's benchmark ({@code ./cadenza bench listening}): how many listening events per
 * second go from a producer through Kafka and the sink ({@code SinkMain}, a process of its own)
 * into ScyllaDB, and how far the sink lags behind, against Kafka's own producer throughput measured
 * in the same run on the same machine (Kafka's {@code ProducerPerformance}, the tool behind {@code
 * kafka-producer-perf-test.sh}, with records of the same size and the node's producer settings).
 *
 * <p>Runs, in order, each on fresh topics and a fresh consumer group:
 *
 * <ol>
 *   <li><b>baseline</b>: ProducerPerformance sends {@code -Dbaseline.events} records as fast as it
 *       can;
 *   <li><b>rate</b>: events offered at {@code -Drate} per second for {@code -Dseconds}; every
 *       quarter second the sink group's committed offsets (the sink commits only after the writes)
 *       give its throughput and lag, in records and in seconds (the age of the oldest event not yet
 *       written);
 *   <li><b>max</b>: {@code -Dmax.events} events sent as fast as the producer can; the sink's
 *       throughput is what it sustains while it catches up.
 * </ol>
 *
 * <p>Writes {@code results.json} into {@code -Dout}; {@code
 * load-tests/bin/listening-bench-table.py} prints the table. The sink writes into the keyspace
 * {@code -Dkeyspace}, dropped at the start.
 */
public final class ListeningBench {

  private static final Pattern PERF_SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg"
              + " latency, ([0-9.]+) ms max latency(?:, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms"
              + " 99th)?");

  private final String bootstrap = env("CADENZA_KAFKA_BOOTSTRAP_SERVERS");
  private final Path out = Path.of(System.getProperty("out", "target/bench-listening"));
  private final String keyspace = System.getProperty("keyspace", "bench_listening");
  private final int users = Integer.getInteger("users", 20_000);
  private final int tracks = Integer.getInteger("tracks", 5_000);
  private final int sinks = Integer.getInteger("sinks", 2);
  private final int partitions = Integer.getInteger("partitions", 12);
  private final long stamp = System.currentTimeMillis();
  private final Random random = new Random(42);
  private final Instant epoch = Instant.now().minus(Duration.ofDays(3));
  private final Admin admin;

  private ListeningBench() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    admin = Admin.create(props);
  }

  public static void main(String[] args) throws Exception {
    ListeningBench bench = new ListeningBench();
    try {
      bench.run();
    } finally {
      bench.admin.close();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    JsonObject results =
        new JsonObject()
            .put("started", Instant.now().toString())
            .put("users", users)
            .put("tracks", tracks)
            .put("sinks", sinks)
            .put("partitions", partitions);
    dropKeyspace();
    int size = averageSize();
    results.put("record_bytes", size);
    System.out.printf("Listening events of %d bytes on average.%n", size);

    long baselineEvents = Long.getLong("baseline.events", 1_000_000L);
    if (baselineEvents > 0) {
      results.put("baseline", baseline(baselineEvents, size));
      save(results);
    }

    int rate = Integer.getInteger("rate", 20_000);
    int seconds = Integer.getInteger("seconds", 60);
    if (rate > 0 && seconds > 0) {
      results.put("rate", pipeline("rate", rate, (long) rate * seconds));
      save(results);
    }
    long maxEvents = Long.getLong("max.events", 1_000_000L);
    if (maxEvents > 0) {
      results.put("max", pipeline("max", 0, maxEvents));
    }
    results.put("finished", Instant.now().toString());
    save(results);
  }

  // ---- the events

  /**
   * A play as the node reports it: live plays (19 in 20) end when they are reported, so their
   * {@code started_at} is set at the send ({@link Templates#next}); offline ones (1 in 20) ended at
   * some time in the two days before the run and are reported now. Ids are time-ordered by the
   * play's end ({@link ListeningEvent#timeOrderedId}), as the node's are and as offline clients are
   * asked to make them.
   */
  private ListeningEvent event() {
    long ms = random.nextInt(10) < 8 ? 30_000 + random.nextInt(200_000) : random.nextInt(30_000);
    boolean offline = random.nextInt(20) == 0;
    Instant playedAt =
        offline
            ? epoch.plusMillis((long) (random.nextDouble() * Duration.ofDays(2).toMillis()))
            : Instant.now();
    // Milliseconds that are not all zero, so that the template's started_at has the length of the
    // ones written at the send (Templates.startedAt).
    Instant startedAt = playedAt.minusMillis(ms).truncatedTo(ChronoUnit.MILLIS);
    if (startedAt.getNano() == 0) {
      startedAt = startedAt.plusMillis(1);
    }
    return new ListeningEvent(
        ListeningEvent.timeOrderedId(
            startedAt.toEpochMilli() + ms, random.nextLong(), random.nextLong()),
        "bench-user-" + random.nextInt(users),
        "bench-track-" + (int) Math.min(tracks - 1, Math.abs(random.nextGaussian()) * tracks / 3),
        "bench-device-" + random.nextInt(4),
        random.nextBoolean() ? "cadenza:album:bench-" + random.nextInt(500) : null,
        startedAt,
        ms,
        "clickrow",
        ms >= 30_000 ? "trackdone" : "fwdbtn",
        false,
        offline,
        Instant.now(),
        COUNTRIES[random.nextInt(COUNTRIES.length)]);
  }

  /**
   * Encoded events to send: {@code count} different ones (users, tracks, lengths), each sent many
   * times with a new event id written into its bytes (a fresh play of the same kind) and, for a
   * live play, a new {@code started_at} (the send's time less the play's length), so that making a
   * record costs a copy rather than a JSON encoding.
   */
  private final class Templates {
    private static final int STARTED_AT_LENGTH = "2026-12-06T10:15:30.123Z".length();
    private final byte[][] values;
    private final String[] keys;
    private final int[] idAt;
    private final int[] startedAtAt;
    private final long[] msPlayed;
    private final long[] playedAt;
    private final Random ids = new Random(7);
    private final long[] cachedSecond = new long[1024];
    private final byte[][] cachedPrefix = new byte[1024][];
    private int next;

    Templates(int count) {
      values = new byte[count][];
      keys = new String[count];
      idAt = new int[count];
      startedAtAt = new int[count];
      msPlayed = new long[count];
      playedAt = new long[count];
      Arrays.fill(cachedSecond, Long.MIN_VALUE);
      for (int i = 0; i < count; i++) {
        ListeningEvent e = event();
        values[i] = ListeningEventJson.write(e);
        keys[i] = e.userId();
        idAt[i] = indexOf(values[i], e.eventId().toString().getBytes(StandardCharsets.US_ASCII));
        msPlayed[i] = e.msPlayed();
        // -1: a live play, whose time is the send's.
        playedAt[i] = e.offline() ? e.playedAt().toEpochMilli() : -1;
        byte[] startedAt =
            ("\"started_at\":\"" + e.startedAt() + '"').getBytes(StandardCharsets.US_ASCII);
        if (startedAt.length != STARTED_AT_LENGTH + 15) {
          throw new IllegalStateException("a started_at of another length: " + e.startedAt());
        }
        startedAtAt[i] = indexOf(values[i], startedAt) + 14;
      }
    }

    ProducerRecord<String, byte[]> next(String topic) {
      int i = next++ % values.length;
      byte[] value = values[i].clone();
      long end = playedAt[i];
      if (end < 0) {
        end = System.currentTimeMillis();
        startedAt(end - msPlayed[i], value, startedAtAt[i]);
      }
      byte[] id =
          ListeningEvent.timeOrderedId(end, ids.nextLong(), ids.nextLong())
              .toString()
              .getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(id, 0, value, idAt[i], id.length);
      return new ProducerRecord<>(topic, keys[i], value);
    }

    /** Writes {@code epochMilli} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} at {@code at}. */
    private void startedAt(long epochMilli, byte[] value, int at) {
      long second = Math.floorDiv(epochMilli, 1000);
      int slot = (int) (second & (cachedSecond.length - 1));
      if (cachedSecond[slot] != second) {
        cachedPrefix[slot] =
            (LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC)
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    + '.')
                .getBytes(StandardCharsets.US_ASCII);
        cachedSecond[slot] = second;
      }
      byte[] prefix = cachedPrefix[slot];
      if (prefix.length != STARTED_AT_LENGTH - 4) {
        throw new IllegalStateException("a time of another length: " + new String(prefix));
      }
      System.arraycopy(prefix, 0, value, at, prefix.length);
      int millis = (int) Math.floorMod(epochMilli, 1000);
      value[at + prefix.length] = (byte) ('0' + millis / 100);
      value[at + prefix.length + 1] = (byte) ('0' + millis / 10 % 10);
      value[at + prefix.length + 2] = (byte) ('0' + millis % 10);
      value[at + prefix.length + 3] = 'Z';
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      throw new IllegalStateException("not in the event's JSON: " + new String(needle));
    }
  }

  private static final String[] COUNTRIES = {"SE", "DE", "US", "BR", "JP", "FR", "GB", "IN"};

  private int averageSize() {
    long total = 0;
    for (int i = 0; i < 10_000; i++) {
      total += ListeningEventJson.write(event()).length;
    }
    return (int) (total / 10_000);
  }

  // ---- Kafka's own producer throughput

  private JsonObject baseline(long events, int size) throws Exception {
    String topic = "bench-perf-" + stamp;
    createTopic(topic, partitions);
    List<String> command =
        List.of(
            javaBin(),
            "-Xmx1g",
            "-cp",
            requiredProperty("kafka.tools.classpath"),
            "org.apache.kafka.tools.ProducerPerformance",
            "--topic",
            topic,
            "--num-records",
            String.valueOf(events),
            "--record-size",
            String.valueOf(size),
            "--throughput",
            "-1",
            "--command-property",
            "bootstrap.servers=" + bootstrap,
            "acks=all",
            "enable.idempotence=true",
            "linger.ms=5");
    System.out.printf(
        "Baseline: Kafka's ProducerPerformance, %,d records of %d bytes...%n", events, size);
    Path log = out.resolve("producer-performance.log");
    Process perf =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!perf.waitFor(10, TimeUnit.MINUTES)) {
      perf.destroyForcibly();
      throw new IllegalStateException("ProducerPerformance did not finish in 10 minutes");
    }
    String text = Files.readString(log);
    // The last line is the summary (the others are progress lines without percentiles).
    String summary = null;
    for (String line : text.split("\n")) {
      if (PERF_SUMMARY.matcher(line).find() && line.contains("50th")) {
        summary = line;
      }
    }
    if (summary == null || perf.exitValue() != 0) {
      throw new IllegalStateException("ProducerPerformance failed:\n" + text);
    }
    Matcher s = PERF_SUMMARY.matcher(summary);
    s.find();
    JsonObject result =
        new JsonObject()
            .put("events", Long.parseLong(s.group(1)))
            .put("events_per_s", Double.parseDouble(s.group(2)))
            .put("mb_per_s", Double.parseDouble(s.group(3)))
            .put("avg_latency_ms", Double.parseDouble(s.group(4)))
            .put("max_latency_ms", Double.parseDouble(s.group(5)))
            .put("p99_latency_ms", s.group(8) == null ? null : Long.parseLong(s.group(8)))
            .put("summary", summary.strip());
    System.out.println("  " + summary.strip());
    admin.deleteTopics(List.of(topic));
    return result;
  }

  // ---- the pipeline

  /**
   * Offers {@code events} events at {@code rate} per second (0: as fast as the producer takes them)
   * to fresh topics consumed by a fresh sink process, and follows the sink's committed offsets
   * until it has written them all.
   */
  private JsonObject pipeline(String name, int rate, long events) throws Exception {
    String topic = "bench-listening-" + name + "-" + stamp;
    String group = "bench-listening-" + name + "-" + stamp;
    createTopic(topic, partitions);
    createTopic(topic + "-dlq", 3);
    Process sink = startSink(name, topic, group);
    try {
      return follow(name, rate, events, topic, group, sink);
    } finally {
      sink.destroy();
      if (!sink.waitFor(30, TimeUnit.SECONDS)) {
        sink.destroyForcibly();
      }
      admin.deleteTopics(List.of(topic, topic + "-dlq"));
    }
  }

  private Process startSink(String name, String topic, String group) throws Exception {
    Path log = out.resolve("sink-" + name + ".log");
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xms1g", "-Xmx1g"));
    // -Dsink.opts: more JVM arguments for the sink, e.g. "-Dcadenza.listening.max-in-flight=2048".
    for (String opt : System.getProperty("sink.opts", "").trim().split("\\s+")) {
      if (!opt.isEmpty()) {
        command.add(opt);
      }
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.cadenza.analytics.SinkMain"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("CADENZA_NODE_NAME", "bench-sink-" + name);
    env.put("CADENZA_CQL_KEYSPACE", keyspace);
    env.put("CADENZA_LISTENING_TOPIC", topic);
    env.put("CADENZA_LISTENING_DLQ_TOPIC", topic + "-dlq");
    env.put("CADENZA_LISTENING_GROUP", group);
    env.put("CADENZA_LISTENING_SINKS", String.valueOf(sinks));
    Process sink = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!sink.isAlive()) {
        throw new IllegalStateException("The sink exited:\n" + Files.readString(log));
      }
      if (Files.exists(log) && Files.readString(log).contains("listening sink started")) {
        System.out.printf(
            "%s: the sink (pid %d, %d consumers) is consuming.%n", name, sink.pid(), sinks);
        return sink;
      }
      Thread.sleep(200);
    }
    sink.destroyForcibly();
    throw new IllegalStateException(
        "The sink did not start within 120 s:\n" + Files.readString(log));
  }

  /**
   * Per partition, the send time (nanos) of each acknowledged offset from {@code base} on (the
   * offsets before it are the warm-up's), in offset order.
   */
  private static final class Sent {
    final long base;
    long[] nanos = new long[1024];
    int size;

    Sent(long base) {
      this.base = base;
    }

    synchronized void add(long offset, long sentNanos) {
      if (offset != base + size) {
        // A fresh topic written by one idempotent producer has no gaps; anything else would make
        // the lag in seconds wrong, so refuse to guess.
        throw new IllegalStateException(
            "offset " + offset + " where " + (base + size) + " was expected");
      }
      if (size == nanos.length) {
        nanos = Arrays.copyOf(nanos, size * 2);
      }
      nanos[size++] = sentNanos;
    }

    /** Acknowledged records after the warm-up's. */
    synchronized int size() {
      return size;
    }

    /** The send time of the {@code k}-th record after the warm-up's. */
    synchronized long at(int k) {
      return nanos[k];
    }
  }

  private JsonObject follow(
      String name, int rate, long events, String topic, String group, Process sink)
      throws Exception {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    List<Map<String, Object>> samples = new ArrayList<>();
    long t0;
    long producedNanos;
    JsonObject warmup = new JsonObject();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      // Made ahead of the clock (as ProducerPerformance's payloads are): the generator's cost is
      // not the pipeline's. Records are taken in chunks of 10,000 ahead of their sends.
      Templates templates = new Templates(50_000);
      long[] base = warmUp(name, producer, templates, topic, group, sink, warmup);
      Sent[] sent = new Sent[partitions];
      for (int p = 0; p < partitions; p++) {
        sent[p] = new Sent(base[p]);
      }
      System.out.printf(
          "%s: %,d events %s...%n",
          name,
          events,
          rate > 0
              ? "at " + String.format("%,d", rate) + "/s"
              : "as fast as the producer takes them");
      int chunk = 10_000;
      Sampler sampler = new Sampler(group, topic, sent, samples);
      t0 = System.nanoTime();
      sampler.start(t0);
      long i = 0;
      while (i < events) {
        int n = (int) Math.min(chunk, events - i);
        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          batch.add(templates.next(topic));
        }
        for (ProducerRecord<String, byte[]> record : batch) {
          pace(t0, i, rate);
          long sentAt = System.nanoTime();
          producer.send(
              record,
              (meta, error) -> {
                if (error != null) {
                  failed.compareAndSet(null, error);
                } else {
                  sent[meta.partition()].add(meta.offset(), sentAt);
                }
              });
          i++;
        }
        if (failed.get() != null) {
          throw new IllegalStateException("a send failed", failed.get());
        }
      }
      producer.flush();
      producedNanos = System.nanoTime() - t0;
      if (failed.get() != null) {
        throw new IllegalStateException("a send failed", failed.get());
      }
      System.out.printf(
          "%s: produced %,d events in %.1f s (%,.0f/s); waiting for the sink...%n",
          name, events, producedNanos / 1e9, events / (producedNanos / 1e9));
      long deadline =
          System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("drain", 300));
      while (sampler.committed() < events && System.nanoTime() < deadline && sink.isAlive()) {
        Thread.sleep(100);
      }
      sampler.stop();
    }
    long committed =
        samples.isEmpty() ? 0 : (long) samples.get(samples.size() - 1).get("committed");
    JsonArray series = new JsonArray();
    for (Map<String, Object> s : samples) {
      series.add(new JsonObject(s));
    }
    return new JsonObject()
        .put("warmup", warmup)
        .put("offered_per_s", rate)
        .put("events", events)
        .put("produce_s", producedNanos / 1e9)
        .put("written", committed)
        .put("sink_alive", sink.isAlive())
        .put("samples", series);
  }

  /**
   * Warms the pipeline up before the measured run: {@code -Dwarmup.seconds} of events (not counted)
   * at {@code -Dwarmup.rate} per second, then waits until the sink has committed them all, so that
   * the run measures a sink, a Kafka and a ScyllaDB past their JIT compilation, as a pipeline that
   * runs for days is (on a freshly started stack the four JVMs compile for about half a minute,
   * taking a sixth of the machine). Returns each partition's first offset after the warm-up.
   */
  private long[] warmUp(
      String name,
      KafkaProducer<String, byte[]> producer,
      Templates templates,
      String topic,
      String group,
      Process sink,
      JsonObject result)
      throws Exception {
    int rate = Integer.getInteger("warmup.rate", 20_000);
    // -Dwarmup.events with -Dwarmup.rate=0: that many sent at once.
    long events =
        Long.getLong("warmup.events", (long) rate * Integer.getInteger("warmup.seconds", 30));
    long[] base = new long[partitions];
    result.put("events", events).put("rate", rate);
    if (events <= 0) {
      return base;
    }
    System.out.printf(
        "%s: warming up with %,d events at %,d/s (not counted)...%n", name, events, rate);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    long start = System.nanoTime();
    for (long i = 0; i < events; i++) {
      pace(start, i, rate);
      producer.send(
          templates.next(topic),
          (meta, error) -> {
            if (error != null) {
              failed.compareAndSet(null, error);
            } else {
              synchronized (base) {
                base[meta.partition()] = Math.max(base[meta.partition()], meta.offset() + 1);
              }
            }
          });
    }
    producer.flush();
    if (failed.get() != null) {
      throw new IllegalStateException("a warm-up send failed", failed.get());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("drain", 300));
    while (true) {
      long[] committed = committedOffsets(group, topic);
      long behind = 0;
      for (int p = 0; p < partitions; p++) {
        behind += Math.max(0, base[p] - committed[p]);
      }
      if (behind == 0) {
        break;
      }
      if (System.nanoTime() > deadline || !sink.isAlive()) {
        throw new IllegalStateException(
            "the sink did not write the warm-up's events (" + behind + " left)");
      }
      Thread.sleep(250);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    result.put("seconds", seconds);
    System.out.printf(
        "%s: warm-up written in %.1f s (%,.0f/s).%n", name, seconds, events / seconds);
    int settle = Integer.getInteger("warmup.settle", 0);
    result.put("settle_s", settle);
    TimeUnit.SECONDS.sleep(settle);
    return base;
  }

  /** Waits until the {@code i}th event of a run begun at {@code t0} is due (rate 0: at once). */
  private static void pace(long t0, long i, int rate) throws InterruptedException {
    if (rate > 0) {
      long due = t0 + i * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 200_000) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  /** Samples the group's committed offsets every quarter second. */
  private final class Sampler {
    private final String group;
    private final String topic;
    private final Sent[] sent;
    private final List<Map<String, Object>> samples;
    private volatile boolean running = true;
    private volatile long committed;
    private Thread thread;

    Sampler(String group, String topic, Sent[] sent, List<Map<String, Object>> samples) {
      this.group = group;
      this.topic = topic;
      this.sent = sent;
      this.samples = samples;
    }

    private long t0;

    void start(long t0) {
      this.t0 = t0;
      thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    sample(t0);
                    Thread.sleep(250);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    System.out.println("  (a lag sample failed: " + e + ")");
                  }
                }
              },
              "lag-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long committed() {
      return committed;
    }

    void stop() throws Exception {
      running = false;
      thread.interrupt();
      thread.join();
      samples.add(sampleOnce(System.nanoTime(), t0));
    }

    private void sample(long t0) throws Exception {
      Map<String, Object> s = sampleOnce(System.nanoTime(), t0);
      synchronized (samples) {
        samples.add(s);
      }
    }

    private Map<String, Object> sampleOnce(long now, long t0) throws Exception {
      long[] offsets = committedOffsets(group, topic);
      long total = 0;
      long ackedTotal = 0;
      long lagRecords = 0;
      long oldestNanos = 0;
      for (int p = 0; p < partitions; p++) {
        int c = (int) Math.max(0, offsets[p] - sent[p].base);
        int a = sent[p].size();
        total += c;
        ackedTotal += a;
        if (c < a) {
          lagRecords += a - c;
          oldestNanos = Math.max(oldestNanos, now - sent[p].at(c));
        }
      }
      committed = total;
      Map<String, Object> s = new HashMap<>();
      s.put("t_s", (now - t0) / 1e9);
      s.put("acked", ackedTotal);
      s.put("committed", total);
      s.put("lag_records", lagRecords);
      s.put("lag_s", oldestNanos / 1e9);
      return s;
    }
  }

  // ---- helpers

  /** The group's committed offset of each partition of the topic (0 where none is committed). */
  private long[] committedOffsets(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(5, TimeUnit.SECONDS);
    long[] committed = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      OffsetAndMetadata om = offsets.get(new TopicPartition(topic, p));
      committed[p] = om == null ? 0 : om.offset();
    }
    return committed;
  }

  private void createTopic(String topic, int count) throws Exception {
    admin
        .createTopics(List.of(new NewTopic(topic, count, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private void dropKeyspace() {
    String[] point = env("CADENZA_CQL_CONTACT_POINTS").split(",")[0].split(":");
    try (CqlSession cql =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(point[0], Integer.parseInt(point[1])))
            .withLocalDatacenter(
                System.getenv().getOrDefault("CADENZA_CQL_LOCAL_DC", "datacenter1"))
            .build()) {
      // A schema change waits for the tables' files to go: far longer than a query's 2 s.
      cql.execute(
          com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                  "DROP KEYSPACE IF EXISTS " + keyspace)
              .setTimeout(Duration.ofMinutes(2)));
    }
  }

  private void save(JsonObject results) throws IOException {
    Files.writeString(
        out.resolve("results.json"), results.encodePrettily(), StandardCharsets.UTF_8);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set (run through ./cadenza bench listening)");
    }
    return value;
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "-D" + name + " is not set (run through ./cadenza bench listening)");
    }
    return value;
  }
}
