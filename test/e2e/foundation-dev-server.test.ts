import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { devServer } from '../support/temporal-servers';
import * as activities from '../fixtures/foundation/activities';

describe('dev server', () => {
  it('runs a workflow started through the client to completion on a real worker', async () => {
    const { address, namespace } = devServer();
    const nativeConnection = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace,
        taskQueue: 'foundation-e2e',
        workflowsPath: new URL('../fixtures/foundation/workflows.ts', import.meta.url).pathname,
        activities,
      });
      const client = new Client({ connection, namespace });
      const result = await worker.runUntil(
        client.workflow.execute('greet', {
          taskQueue: 'foundation-e2e',
          workflowId: `greet-${Date.now()}`,
          args: ['Hà Đông'],
        }),
      );
      expect(result).toBe('Xin chào, Hà Đông!');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
