package io.cadenza.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

  static final String KEY = "k1:" + "A".repeat(43) + "=";

  private static CadenzaSettings load(Map<String, String> env, Map<String, Object> sysProps) {
    Map<String, String> withKey = new java.util.HashMap<>(env);
    withKey.putIfAbsent("CADENZA_AUTH_SIGNING_KEYS", KEY);
    return SettingsLoader.load(withKey, ConfigFactory.parseMap(sysProps));
  }

  @Test
  void defaultsGiveASingleNodeOnLoopback() {
    CadenzaSettings s = load(Map.of(), Map.of());
    assertThat(s.http().host()).isEqualTo("127.0.0.1");
    assertThat(s.http().port()).isEqualTo(8080);
    assertThat(s.cql().contactPoints()).containsExactly(new HostPort("127.0.0.1", 19042));
    assertThat(s.kafka().bootstrapServersString()).isEqualTo("127.0.0.1:19092");
    assertThat(s.redis().url().toString()).isEqualTo("redis://127.0.0.1:16379");
    assertThat(s.cluster().hazelcast().members()).containsExactly("127.0.0.1");
    assertThat(s.cluster().akka().seedNodes()).isEmpty();
    assertThat(s.node().shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.kafka().topics())
        .extracting(CadenzaSettings.TopicSpec::name)
        .contains("listening-events", "catalog-changes");
  }

  @Test
  void environmentOverridesDefaults() {
    CadenzaSettings s =
        load(
            Map.of(
                "CADENZA_HTTP_PORT", "9090",
                "CADENZA_CQL_CONTACT_POINTS", "10.0.0.1:9042, 10.0.0.2:9042",
                "CADENZA_REDIS_URL", "redis://cache:6380"),
            Map.of());
    assertThat(s.http().port()).isEqualTo(9090);
    assertThat(s.cql().contactPoints())
        .containsExactly(new HostPort("10.0.0.1", 9042), new HostPort("10.0.0.2", 9042));
    assertThat(s.redis().url().getPort()).isEqualTo(6380);
  }

  @Test
  void systemPropertiesOverrideTheEnvironment() {
    CadenzaSettings s =
        load(Map.of("CADENZA_HTTP_PORT", "9090"), Map.of("cadenza.http.port", "9191"));
    assertThat(s.http().port()).isEqualTo(9191);
  }

  @Test
  void variablesOutsideCadenzaAreIgnored() {
    CadenzaSettings s = load(Map.of("HTTP_PORT", "1", "PATH", "/bin"), Map.of());
    assertThat(s.http().port()).isEqualTo(8080);
  }

  @Test
  void publicUrlFollowsHostAndPortUnlessSet() {
    assertThat(load(Map.of("CADENZA_HTTP_PORT", "9123"), Map.of()).http().publicUrl())
        .isEqualTo("http://127.0.0.1:9123");
    assertThat(load(Map.of(), Map.of("cadenza.http.host", "0.0.0.0")).http().publicUrl())
        .isEqualTo("http://127.0.0.1:8080");
    assertThat(
            load(Map.of("CADENZA_PUBLIC_URL", "https://music.example.com"), Map.of())
                .http()
                .publicUrl())
        .isEqualTo("https://music.example.com");
    assertThatThrownBy(
            () -> load(Map.of("CADENZA_PUBLIC_URL", "https://music.example.com/"), Map.of()))
        .hasMessageContaining("cadenza.http.public-url");
  }

  @Test
  void badPortNamesTheKeyAndTheRule() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.http.port", "70000")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "invalid setting cadenza.http.port: must be a whole number from 0 to 65535"
                + " (given: \"70000\")");
  }

  @Test
  void nonNumericEnvironmentValueNamesTheKey() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_HTTP_PORT", "eighty"), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("cadenza.http.port");
  }

  @Test
  void badDurationNamesTheKey() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.node.shutdown-timeout", "soon")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("cadenza.node.shutdown-timeout")
        .hasMessageContaining("must be a duration");
  }

  @Test
  void durationOutOfRangeIsRejected() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.node.shutdown-timeout", "0s")))
        .hasMessageContaining("cadenza.node.shutdown-timeout");
  }

  @Test
  void contactPointWithoutPortIsRejected() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_CQL_CONTACT_POINTS", "db1"), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("cadenza.cql.contact-points")
        .hasMessageContaining("host:port");
  }

  @Test
  void keyspaceMustBeACqlIdentifier() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_CQL_KEYSPACE", "x; DROP KEYSPACE y"), Map.of()))
        .hasMessageContaining("cadenza.cql.keyspace");
  }

  @Test
  void redisUrlMustBeRedisScheme() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_REDIS_URL", "http://localhost:1"), Map.of()))
        .hasMessageContaining("cadenza.redis.url");
  }

  @Test
  void seedNodesMustBeAkkaAddresses() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_AKKA_SEED_NODES", "127.0.0.1:25520"), Map.of()))
        .hasMessageContaining("cadenza.cluster.akka.seed-nodes");
    CadenzaSettings s =
        load(Map.of("CADENZA_AKKA_SEED_NODES", "akka://cadenza@127.0.0.1:25520"), Map.of());
    assertThat(s.cluster().akka().seedNodes()).containsExactly("akka://cadenza@127.0.0.1:25520");
  }

  @Test
  void replicationRendersAsCql() {
    assertThat(load(Map.of(), Map.of()).cql().replication().toCql())
        .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
    CadenzaSettings multiDc =
        load(
            Map.of(
                "CADENZA_CQL_REPLICATION_STRATEGY", "NetworkTopologyStrategy",
                "CADENZA_CQL_DATACENTERS", "eu:3, us:2"),
            Map.of());
    assertThat(multiDc.cql().replication().toCql())
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'eu': 3, 'us': 2}");
  }

  @Test
  void networkTopologyWithoutDatacentersIsRejected() {
    assertThatThrownBy(
            () ->
                load(
                    Map.of("CADENZA_CQL_REPLICATION_STRATEGY", "NetworkTopologyStrategy"),
                    Map.of()))
        .hasMessageContaining("cadenza.cql.replication.datacenters");
  }

  @Test
  void akkaSettingsFollowTheClusterSettings() {
    CadenzaSettings s = load(Map.of("CADENZA_AKKA_PORT", "0"), Map.of());
    assertThat(s.hocon().getInt("akka.remote.artery.canonical.port")).isZero();
    assertThat(s.hocon().getString("akka.actor.provider")).isEqualTo("cluster");
    assertThat(s.hocon().getString("akka.cluster.downing-provider-class"))
        .isEqualTo("akka.cluster.sbr.SplitBrainResolverProvider");
  }

  @Test
  void splitBrainResolverUsesTheCqlLeaseAndItsStableAfterIsConfigurable() {
    CadenzaSettings s = load(Map.of(), Map.of());
    assertThat(s.cluster().akka().stableAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.hocon().getString("akka.cluster.split-brain-resolver.active-strategy"))
        .isEqualTo("lease-majority");
    assertThat(s.hocon().getDuration("akka.cluster.split-brain-resolver.stable-after"))
        .isEqualTo(Duration.ofSeconds(1));
    CadenzaSettings slower = load(Map.of("CADENZA_AKKA_STABLE_AFTER", "7s"), Map.of());
    assertThat(slower.cluster().akka().stableAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(slower.hocon().getDuration("akka.cluster.split-brain-resolver.stable-after"))
        .isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.cluster.akka.stable-after", "100ms")))
        .hasMessageContaining("cadenza.cluster.akka.stable-after");
  }

  @Test
  void leaseMajorityLoadsTheCqlLeaseWithTheLeaseTimings() {
    CadenzaSettings s = load(Map.of("CADENZA_CQL_KEYSPACE", "other"), Map.of());
    String majority = "akka.cluster.split-brain-resolver.lease-majority.";
    String path = s.hocon().getString(majority + "lease-implementation");
    assertThat(path).isEqualTo("cadenza.cql-lease");
    assertThat(s.hocon().getString(majority + "lease-name")).isEqualTo("cadenza-akka-sbr");
    assertThat(s.hocon().getDuration(majority + "acquire-lease-delay-for-minority"))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(s.hocon().getDuration(majority + "release-after")).isEqualTo(Duration.ofSeconds(20));
    var lease = s.hocon().getConfig(path);
    assertThat(lease.getString("lease-class")).isEqualTo("io.cadenza.session.CqlLease");
    assertThat(lease.getDuration("heartbeat-timeout")).isEqualTo(Duration.ofSeconds(10));
    assertThat(lease.getDuration("heartbeat-interval")).isEqualTo(Duration.ofSeconds(2));
    assertThat(lease.getDuration("lease-operation-timeout")).isEqualTo(Duration.ofSeconds(2));
    assertThat(lease.getString("keyspace")).isEqualTo("other");
    assertThat(lease.getString("table")).isEqualTo("leases");
  }

  @Test
  void leaseTtlIsConfigurableFromTheEnvironment() {
    CadenzaSettings s = load(Map.of("CADENZA_AKKA_LEASE_TTL", "30s"), Map.of());
    assertThat(s.hocon().getDuration("cadenza.cql-lease.heartbeat-timeout"))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void leaseTimingsThatCannotWorkStopStartUp() {
    String prefix = "cadenza.cluster.akka.lease.";
    assertThatThrownBy(() -> load(Map.of("CADENZA_AKKA_LEASE_TTL", "4500ms"), Map.of()))
        .hasMessageContaining(prefix + "heartbeat-timeout")
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> load(Map.of(), Map.of(prefix + "heartbeat-interval", "4s")))
        .hasMessageContaining(prefix + "heartbeat-interval")
        .hasMessageContaining("a third");
    assertThatThrownBy(() -> load(Map.of(), Map.of(prefix + "operation-timeout", "3s")))
        .hasMessageContaining(prefix + "operation-timeout");
    assertThatThrownBy(() -> load(Map.of(), Map.of(prefix + "acquire-delay-for-minority", "2m")))
        .hasMessageContaining(prefix + "acquire-delay-for-minority");
  }

  @Test
  void sessionJsonTypesReachAkkasJacksonSerializer() {
    CadenzaSettings s = load(Map.of(), Map.of());
    assertThat(s.hocon().getStringList("akka.serialization.jackson.jackson-modules"))
        .contains("io.cadenza.session.SessionJsonModule");
    assertThat(s.hocon().getString("akka.cluster.sharding.passivation.strategy")).isEqualTo("none");
    assertThat(s.hocon().getInt("akka.cluster.sharding.number-of-shards")).isEqualTo(100);
  }

  @Test
  void sessionSettingsHaveTheirDefaults() {
    CadenzaSettings.Session session = load(Map.of(), Map.of()).session();
    assertThat(session)
        .isEqualTo(
            new CadenzaSettings.Session(
                Duration.ofSeconds(45),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                Duration.ofSeconds(5)));
  }

  @Test
  void sessionSettingsAreValidated() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.session.ask-timeout", "1ms")))
        .hasMessageContaining("cadenza.session.ask-timeout");
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.session.tick-interval", "later")))
        .hasMessageContaining("cadenza.session.tick-interval");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    Map.of(
                        "cadenza.session.tick-interval", "10s",
                        "cadenza.session.device-timeout", "5s")))
        .hasMessageContaining("cadenza.session.device-timeout")
        .hasMessageContaining("tick-interval");
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.session.passivate-after", "0s")))
        .hasMessageContaining("cadenza.session.passivate-after");
  }

  @Test
  void connectSettingsHaveTheirDefaults() {
    assertThat(load(Map.of(), Map.of()).connect())
        .isEqualTo(
            new CadenzaSettings.Connect(
                16 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(15),
                Duration.ofSeconds(45),
                10,
                20,
                40,
                256 * 1024,
                Duration.ofSeconds(10)));
  }

  @Test
  void connectSettingsAreValidated() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.connect.max-frame-bytes", "10")))
        .hasMessageContaining("cadenza.connect.max-frame-bytes");
    assertThatThrownBy(() -> load(Map.of(), Map.of("cadenza.connect.frame-burst", "0")))
        .hasMessageContaining("cadenza.connect.frame-burst");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    Map.of(
                        "cadenza.connect.ping-interval", "30s",
                        "cadenza.connect.silent-timeout", "20s")))
        .hasMessageContaining("cadenza.connect.silent-timeout")
        .hasMessageContaining("ping-interval");
  }

  @Test
  void signingKeysAreRequiredAndTheirSecretsNeverEchoed() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_AUTH_SIGNING_KEYS", ""), Map.of()))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("cadenza.auth.signing-keys");
    assertThatThrownBy(
            () -> load(Map.of("CADENZA_AUTH_SIGNING_KEYS", "k1:c2hvcnQtc2VjcmV0"), Map.of()))
        .hasMessageContaining("cadenza.auth.signing-keys")
        .hasMessageNotContaining("c2hvcnQtc2VjcmV0");
  }

  @Test
  void signingKeysRotateWithTheFirstSigning() {
    CadenzaSettings s =
        load(Map.of("CADENZA_AUTH_SIGNING_KEYS", "new:" + "B".repeat(44) + ", " + KEY), Map.of());
    assertThat(s.auth().signingKeys())
        .extracting(CadenzaSettings.SigningKey::id)
        .containsExactly("new", "k1");
    assertThat(s.auth().signingKeys().get(0).secret()).hasSize(33);
  }

  @Test
  void edgePoliciesHaveSaneDefaults() {
    CadenzaSettings s = load(Map.of(), Map.of());
    assertThat(s.edge().bodyLimitBytes()).isEqualTo(64 * 1024);
    assertThat(s.edge().corsAllowedOrigins()).isEmpty();
    assertThat(s.auth().adminEnabled()).isFalse();
    assertThat(s.auth().passwordHash().memoryKib()).isEqualTo(19 * 1024);
  }

  @Test
  void corsOriginsMustBeOrigins() {
    assertThatThrownBy(
            () -> load(Map.of("CADENZA_CORS_ALLOWED_ORIGINS", "https://a.example/path"), Map.of()))
        .hasMessageContaining("cadenza.edge.cors-allowed-origins");
  }

  @Test
  void aShortAdminTokenIsRejected() {
    assertThatThrownBy(() -> load(Map.of("CADENZA_ADMIN_TOKEN", "secret"), Map.of()))
        .hasMessageContaining("cadenza.auth.admin-token")
        .hasMessageNotContaining("secret\"");
  }
}
