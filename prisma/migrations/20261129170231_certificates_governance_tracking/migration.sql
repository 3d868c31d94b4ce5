-- AlterEnum
ALTER TYPE "CertificateStatus" ADD VALUE 'FAILED';

-- AlterEnum
ALTER TYPE "ProposalStatus" ADD VALUE 'FAILED';

-- AlterTable
ALTER TABLE "certificate" ADD COLUMN     "chain_error" TEXT,
ADD COLUMN     "issued_height" BIGINT,
ADD COLUMN     "pending_action" TEXT,
ADD COLUMN     "request_id" TEXT,
ADD COLUMN     "status_height" BIGINT;

-- AlterTable
ALTER TABLE "proposal" ADD COLUMN     "applied_at" TIMESTAMPTZ(3),
ADD COLUMN     "applied_height" BIGINT,
ADD COLUMN     "no_power" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "proposer_authority" TEXT,
ADD COLUMN     "total_power" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "yes_power" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "proposal_vote" ADD COLUMN     "authority" TEXT,
ADD COLUMN     "chain_error" TEXT,
ADD COLUMN     "power" INTEGER;

-- CreateTable
CREATE TABLE "certificate_backing" (
    "certificate_id" TEXT NOT NULL,
    "meter_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "energy_wh" BIGINT NOT NULL,

    CONSTRAINT "certificate_backing_pkey" PRIMARY KEY ("certificate_id","interval_start")
);

-- CreateIndex
CREATE INDEX "certificate_backing_meter_id_interval_start_idx" ON "certificate_backing"("meter_id", "interval_start");

-- CreateIndex
CREATE INDEX "certificate_request_id_idx" ON "certificate"("request_id");

-- AddForeignKey
ALTER TABLE "certificate_backing" ADD CONSTRAINT "certificate_backing_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

