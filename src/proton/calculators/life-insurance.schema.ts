import { Type } from 'typebox';
import { annualRate, defaultsOptional, fraction, inflationRate, money, taxRate } from '../request-fields.ts';
import { echo, moneyOut, schedule } from '../response-fields.ts';

const Bequest = Type.Object(
  {
    bequest_amount: money("Yearly amount left to beneficiaries, in today's money (grows with general_inflation_rate)"),
    bequest_duration: Type.Integer({ minimum: 1, maximum: 150, default: 10, description: 'Years it is paid' }),
    years_until_bequest: Type.Integer({ minimum: 0, maximum: 150, default: 0, description: 'Years from today until the first payment' }),
  },
  { additionalProperties: false, title: 'BeneficiaryBequest' },
);
const Income = Type.Object(
  {
    annual_net_take_home_pay: money("Yearly income after tax, in today's money (grows with general_inflation_rate)"),
    income_benefit_duration: Type.Integer({ minimum: 1, maximum: 150, default: 10, description: 'Years the income is replaced' }),
    percentage_of_income_covered: fraction('Share of the income to replace', 1),
  },
  { additionalProperties: false, title: 'IncomeReplacement' },
);
const Education = Type.Object(
  {
    total_annual_cost: money("Yearly cost, in today's money (grows with education_inflation_rate)"),
    start_age: Type.Integer({ minimum: 0, maximum: 150, description: "The child's age in the first year of this education" }),
    end_age: Type.Integer({ minimum: 0, maximum: 150, description: "The child's age when it ends (not included): 18 to 22 is four years" }),
  },
  { additionalProperties: false, title: 'EducationStage' },
);
const Child = Type.Object(
  {
    current_age: Type.Integer({ minimum: 0, maximum: 150, description: "The child's age today" }),
    education_config: Type.Array(Education, { minItems: 1 }),
  },
  { additionalProperties: false, title: 'ChildEducation' },
);

export const LifeInsuranceRequest = defaultsOptional(
  Type.Object(
    {
      interest_rate: annualRate('Return the benefit earns once paid out, before tax', { minimum: -1 }),
      tax_rate: taxRate("Tax on the benefit fund's earnings"),
      general_inflation_rate: inflationRate('Growth of replaced income and bequests', 0),
      education_inflation_rate: inflationRate('Growth of education costs', 0),
      margin_of_error: Type.Number({ minimum: 0, default: 0, description: 'Extra cover as a fraction of the total need' }),
      liquid_assets: money('Assets available at death; they reduce the cover needed', 0),
      existing_life_insurance: money('Cover already held', 0),
      mortgage_balance: money('Mortgage to repay at death', 0),
      other_debt: money('Other debt to repay at death', 0),
      end_of_life_expenses: money('Funeral and final expenses', 0),
      benefit_amount_rounding: Type.Integer({ minimum: 0, maximum: 12, default: 0, description: 'The benefit is rounded up to a multiple of 10 to this power' }),
      income_config: Type.Optional(Type.Array(Income, { minItems: 1 })),
      children_education_config: Type.Optional(Type.Array(Child, { minItems: 1 })),
      beneficiary_bequest_config: Type.Optional(Type.Array(Bequest, { minItems: 1 })),
      client_id: Type.Optional(Type.String({ format: 'uuid', description: 'A Nucleus client; must exist for the caller (404 otherwise). Its data is not read yet.' })),
    },
    { additionalProperties: false },
  ),
);

export const LifeInsuranceResponse = Type.Object(
  {
    insurance_needed: moneyOut('Cover to buy: total need plus margin, less liquid assets and existing cover, rounded up; never negative'),
    total_need: moneyOut('What all needs cost today'),
    income_replacement: moneyOut('Cost today of the replaced income'),
    education: moneyOut("Cost today of the children's education"),
    bequests: moneyOut('Cost today of the bequests'),
    debts: moneyOut('Mortgage and other debt'),
    end_of_life_expenses: moneyOut('Final expenses'),
    margin: moneyOut('The margin of error, in money'),
    inputs: echo(LifeInsuranceRequest),
    schedule: schedule('A fund of total_need paying every need at the start of its year until spent; one row per year'),
  },
  { additionalProperties: false },
);
