-- CreateTable
CREATE TABLE "chain_store_block" (
    "validator" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "block" BYTEA NOT NULL,
    "commit" BYTEA NOT NULL,
    "state_diff" BYTEA NOT NULL,
    "tx_hashes" TEXT[],

    CONSTRAINT "chain_store_block_pkey" PRIMARY KEY ("validator","height")
);

-- CreateTable
CREATE TABLE "chain_store_tx" (
    "validator" TEXT NOT NULL,
    "tx_hash" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,

    CONSTRAINT "chain_store_tx_pkey" PRIMARY KEY ("validator","tx_hash")
);

-- CreateTable
CREATE TABLE "chain_store_snapshot" (
    "validator" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "state" BYTEA NOT NULL,

    CONSTRAINT "chain_store_snapshot_pkey" PRIMARY KEY ("validator")
);

-- CreateTable
CREATE TABLE "chain_store_sign_state" (
    "validator" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "chain_store_sign_state_pkey" PRIMARY KEY ("validator")
);

-- CreateIndex
CREATE INDEX "chain_store_block_validator_hash_idx" ON "chain_store_block"("validator", "hash");

