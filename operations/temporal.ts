/**
 * Connections to Temporal built from the validated config: the embedded dev server, or an external
 * cluster with TLS / mTLS / API key. Clients use `connectClient`, workers `connectWorker`.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { type Config, temporalAddress } from '../config/config';
import { UserError } from '../domain/user-error';

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

function unreachable(config: Config, err: unknown): UserError {
  const where = temporalAddress(config);
  const hint = config.temporal.address
    ? 'kiểm tra TEMPORAL_ADDRESS, mạng và chứng chỉ TLS'
    : 'hãy chạy "npm start" ở một cửa sổ khác trước';
  return new UserError(`không kết nối được tới máy chủ Temporal tại ${where} (${(err as Error).message}); ${hint}`, 1);
}

export async function connectClient(config: Config): Promise<Client> {
  try {
    const connection = await Connection.connect(connectionOptions(config));
    return new Client({ connection, namespace: config.temporal.namespace });
  } catch (err) {
    throw unreachable(config, err);
  }
}

export async function connectWorker(config: Config): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptions(config));
  } catch (err) {
    throw unreachable(config, err);
  }
}
