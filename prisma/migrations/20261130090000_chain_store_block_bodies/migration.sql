-- Every store the engine hosts (four validators and its own node) kept each committed block, its
-- state diff and its transactions' locations in full: five copies of the same bytes, as much WAL
-- under load as the orders themselves. A block's body and its transactions' locations are now
-- stored once per block hash, and each store keeps its own row per height (the hash and the commit
-- certificate it saw), so what a store holds is still exactly the blocks it appended.

-- CreateTable
CREATE TABLE "chain_store_block_body" (
    "hash" TEXT NOT NULL,
    "block" BYTEA NOT NULL,
    "state_diff" BYTEA NOT NULL,
    "tx_hashes" TEXT[],

    CONSTRAINT "chain_store_block_body_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "chain_store_block_tx" (
    "tx_hash" TEXT NOT NULL,
    "block_hash" TEXT NOT NULL,
    "index" INTEGER NOT NULL,

    CONSTRAINT "chain_store_block_tx_pkey" PRIMARY KEY ("tx_hash","block_hash")
);

-- Existing blocks move over, one body per hash.
INSERT INTO "chain_store_block_body" ("hash", "block", "state_diff", "tx_hashes")
SELECT DISTINCT ON ("hash") "hash", "block", "state_diff", "tx_hashes"
  FROM "chain_store_block" ORDER BY "hash", "validator";

INSERT INTO "chain_store_block_tx" ("tx_hash", "block_hash", "index")
SELECT DISTINCT t."tx_hash", b."hash", t."index"
  FROM "chain_store_tx" t
  JOIN "chain_store_block" b ON b."validator" = t."validator" AND b."height" = t."height";

-- DropTable
DROP TABLE "chain_store_tx";

-- AlterTable
ALTER TABLE "chain_store_block" DROP COLUMN "block",
DROP COLUMN "state_diff",
DROP COLUMN "tx_hashes";
