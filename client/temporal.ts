/**
 * Connections to Temporal built from the validated config: the embedded dev server, or an external
 * cluster with TLS / mTLS / API key. Clients use `connectClient`, workers `connectWorker`.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { type Config, temporalAddress } from '../config/config';

function connectionOptions(config: Config): ConnectionOptions & NativeConnectionOptions {
  const { tls, tlsCertPath, tlsKeyPath, apiKey } = config.temporal;
  const options: ConnectionOptions & NativeConnectionOptions = { address: temporalAddress(config) };
  if (tls) {
    options.tls =
      tlsCertPath && tlsKeyPath
        ? { clientCertPair: { crt: readFileSync(tlsCertPath), key: readFileSync(tlsKeyPath) } }
        : true;
  }
  if (apiKey) options.apiKey = apiKey;
  return options;
}

export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

export async function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
