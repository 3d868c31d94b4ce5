-- wallet.history finds an account's settlement rows by the account ids their payload names
-- (buyer, seller, meter owner, account). One GIN index over those ids answers it without reading
-- the whole outbox, which grows by a row per trade, delivery and reading. Not expressible in
-- schema.prisma (an expression index), so it lives only here. The query in
-- apps/engine/src/trpc/routers/wallet.ts uses the same expression.
CREATE INDEX "settlement_outbox_parties_idx" ON "settlement_outbox" USING gin (
  (ARRAY["payload"->>'buyerId', "payload"->>'sellerId', "payload"->>'ownerId', "payload"->>'accountId'])
);
