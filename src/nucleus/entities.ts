import type { EntityDeclaration, RecordsByName } from '../platform/entity/declaration.ts';
import accountAllocation from './account/account-allocation.entity.ts';
import accountPermission from './account/account-permission.entity.ts';
import accountStatus from './account/account-status.entity.ts';
import accountType from './account/account-type.entity.ts';
import account from './account/account.entity.ts';
import bankLink from './account/bank-link.entity.ts';
import fundingTransaction from './account/funding-transaction.entity.ts';
import funding from './account/funding.entity.ts';
import transfer from './account/transfer.entity.ts';
import answer from './advice/answer.entity.ts';
import decisionTree from './advice/decision-tree.entity.ts';
import nodeRelationship from './advice/node-relationship.entity.ts';
import node from './advice/node.entity.ts';
import question from './advice/question.entity.ts';
import questionnaire from './advice/questionnaire.entity.ts';
import riskProfile from './advice/risk-profile.entity.ts';
import score from './advice/score.entity.ts';
import aggregationAccountBalance from './aggregation/aggregation-account-balance.entity.ts';
import aggregationAccountHolding from './aggregation/aggregation-account-holding.entity.ts';
import aggregationAccountTransaction from './aggregation/aggregation-account-transaction.entity.ts';
import aggregationAccount from './aggregation/aggregation-account.entity.ts';
import application from './application/application.entity.ts';
import auditLog from './application/audit-log.entity.ts';
import featureTrack from './application/feature-track.entity.ts';
import feature from './application/feature.entity.ts';
import notificationClient from './application/notification-client.entity.ts';
import notificationSetting from './application/notification-setting.entity.ts';
import notification from './application/notification.entity.ts';
import reasonCode from './application/reason-code.entity.ts';
import stage from './application/stage.entity.ts';
import business from './business/business.entity.ts';
import contact from './business/contact.entity.ts';
import customerRevenue from './business/customer-revenue.entity.ts';
import financialStatement from './business/financial-statement.entity.ts';
import invoicePayment from './business/invoice-payment.entity.ts';
import invoice from './business/invoice.entity.ts';
import cardProgram from './card/card-program.entity.ts';
import card from './card/card.entity.ts';
import spendingControl from './card/spending-control.entity.ts';
import clientResponse from './client/client-response.entity.ts';
import clientStatus from './client/client-status.entity.ts';
import client from './client/client.entity.ts';
import document from './client/document.entity.ts';
import household from './client/household.entity.ts';
import goalTrack from './goal/goal-track.entity.ts';
import goal from './goal/goal.entity.ts';
import allocationComposition from './investing/allocation-composition.entity.ts';
import allocation from './investing/allocation.entity.ts';
import benchmark from './investing/benchmark.entity.ts';
import modelAssetSize from './investing/model-asset-size.entity.ts';
import modelComment from './investing/model-comment.entity.ts';
import modelHolding from './investing/model-holding.entity.ts';
import modelTransaction from './investing/model-transaction.entity.ts';
import model from './investing/model.entity.ts';
import securityExclusion from './investing/security-exclusion.entity.ts';
import securityPrice from './investing/security-price.entity.ts';
import security from './investing/security.entity.ts';
import transactionCode from './investing/transaction-code.entity.ts';
import budget from './personal-finance/budget.entity.ts';
import overflowSetting from './personal-finance/overflow-setting.entity.ts';
import overflow from './personal-finance/overflow.entity.ts';
import roundupSetting from './personal-finance/roundup-setting.entity.ts';
import roundup from './personal-finance/roundup.entity.ts';
import portfolioAssetSize from './portfolio/portfolio-asset-size.entity.ts';
import portfolioComment from './portfolio/portfolio-comment.entity.ts';
import portfolioGoal from './portfolio/portfolio-goal.entity.ts';
import portfolioHolding from './portfolio/portfolio-holding.entity.ts';
import portfolioTransaction from './portfolio/portfolio-transaction.entity.ts';
import portfolio from './portfolio/portfolio.entity.ts';
import institution from './resource/institution.entity.ts';
import orderBulk from './trading/order-bulk.entity.ts';
import orderStatus from './trading/order-status.entity.ts';
import orderTrack from './trading/order-track.entity.ts';
import order from './trading/order.entity.ts';
import webhook from './webhook/webhook.entity.ts';

const declared = [
  accountAllocation,
  accountPermission,
  accountStatus,
  accountType,
  account,
  bankLink,
  fundingTransaction,
  funding,
  transfer,
  answer,
  decisionTree,
  nodeRelationship,
  node,
  question,
  questionnaire,
  riskProfile,
  score,
  aggregationAccountBalance,
  aggregationAccountHolding,
  aggregationAccountTransaction,
  aggregationAccount,
  application,
  auditLog,
  featureTrack,
  feature,
  notificationClient,
  notificationSetting,
  notification,
  reasonCode,
  stage,
  business,
  contact,
  customerRevenue,
  financialStatement,
  invoicePayment,
  invoice,
  cardProgram,
  card,
  spendingControl,
  clientResponse,
  clientStatus,
  client,
  document,
  household,
  goalTrack,
  goal,
  allocationComposition,
  allocation,
  benchmark,
  modelAssetSize,
  modelComment,
  modelHolding,
  modelTransaction,
  model,
  securityExclusion,
  securityPrice,
  security,
  transactionCode,
  budget,
  overflowSetting,
  overflow,
  roundupSetting,
  roundup,
  portfolioAssetSize,
  portfolioComment,
  portfolioGoal,
  portfolioHolding,
  portfolioTransaction,
  portfolio,
  institution,
  orderBulk,
  orderStatus,
  orderTrack,
  order,
  webhook,
] as const;

/** Every Nucleus entity served by the engine. */
export const nucleusEntities: EntityDeclaration[] = [...declared];

declare module '../platform/entity/entity-records.ts' {
  interface EntityRecords extends RecordsByName<(typeof declared)[number]> {}
}
