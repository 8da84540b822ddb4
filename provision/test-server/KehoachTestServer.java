import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.time.Instant;

/**
 * Temporal's time-skipping test server, started with its clock at a chosen instant.
 *
 * The stock entry point (io.temporal.testserver.TestServer) always starts at the current time, and its
 * clock only moves forward. Whole-year simulations of a plan year that has already begun need to start
 * on 1 January, so this launcher builds the same services with an initial time. Time skipping stays
 * locked at start, exactly as the stock server does, so the TypeScript SDK's lock/unlock calls balance.
 *
 * Usage: KehoachTestServer PORT [INITIAL_INSTANT_ISO8601]. PORT 0 takes a port the system has free at
 * the moment of binding, so no other process can take it between a choice and the bind; the line
 * printed once listening names the port. With -Dkehoach.exitWhenListening=true it exits right after
 * that line, so that -XX:ArchiveClassesAtExit can archive the classes a start needs.
 */
public final class KehoachTestServer {
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: KehoachTestServer PORT [INITIAL_INSTANT_ISO8601]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    long initialTimeMillis = args.length == 2 ? Instant.parse(args[1]).toEpochMilli() : 0L;
    TestServicesStarter services = new TestServicesStarter(true, initialTimeMillis);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      services.close();
    }));
    System.out.println("kehoach-test-server listening on " + server.getPort() + " at " + Instant.ofEpochMilli(
        initialTimeMillis == 0L ? System.currentTimeMillis() : initialTimeMillis));
    // The provisioning's one start that records the classes loaded so far (class data sharing).
    if (Boolean.getBoolean("kehoach.exitWhenListening")) System.exit(0);
    server.awaitTermination();
  }
}
