// A small real program: a stack-machine bytecode interpreter (switch dispatch, br_table) running a bytecode
// program that counts the primes below `n` by trial division and sums a Collatz walk for each.
enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DIV, LT, EQ, JZ, JMP, DUP, DROP, HALT };
typedef struct { unsigned char op; int arg; } Ins;
static Ins prog[128];
static int vars[8];
static int stack[64];
static int emit(int at, int op, int arg) { prog[at].op = (unsigned char)op; prog[at].arg = arg; return at + 1; }
static int exec(void) {
  int sp = 0, pc = 0;
  for (;;) {
    Ins in = prog[pc++];
    switch (in.op) {
      case PUSH: stack[sp++] = in.arg; break;
      case LOAD: stack[sp++] = vars[in.arg]; break;
      case STORE: vars[in.arg] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case JZ: if (stack[--sp] == 0) pc = in.arg; break;
      case JMP: pc = in.arg; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case DROP: sp--; break;
      case HALT: return vars[2];
    }
  }
}
unsigned run(unsigned n) {
  // vars: 0 = i, 1 = d, 2 = result, 3 = limit, 4 = x (collatz), 5 = prime flag
  int p = 0;
  vars[3] = (int)n; vars[2] = 0;
  p = emit(p, PUSH, 2); p = emit(p, STORE, 0);
  int outer = p;                                   // while (i < limit)
  p = emit(p, LOAD, 0); p = emit(p, LOAD, 3); p = emit(p, LT, 0); int jend = p; p = emit(p, JZ, 0);
  p = emit(p, PUSH, 1); p = emit(p, STORE, 5); p = emit(p, PUSH, 2); p = emit(p, STORE, 1);
  int inner = p;                                   // while (d * d < i + 1)
  p = emit(p, LOAD, 1); p = emit(p, DUP, 0); p = emit(p, MUL, 0); p = emit(p, LOAD, 0); p = emit(p, PUSH, 1); p = emit(p, ADD, 0);
  p = emit(p, LT, 0); int jinner = p; p = emit(p, JZ, 0);
  p = emit(p, LOAD, 0); p = emit(p, LOAD, 1); p = emit(p, MOD, 0); int jnz = p; p = emit(p, JZ, 0);
  p = emit(p, LOAD, 1); p = emit(p, PUSH, 1); p = emit(p, ADD, 0); p = emit(p, STORE, 1); p = emit(p, JMP, inner);
  int notprime = p; prog[jnz].arg = notprime;
  p = emit(p, PUSH, 0); p = emit(p, STORE, 5);
  int afterinner = p; prog[jinner].arg = afterinner;
  p = emit(p, LOAD, 5); int jskip = p; p = emit(p, JZ, 0);
  p = emit(p, LOAD, 0); p = emit(p, STORE, 4);     // collatz walk from i, adding steps to result
  int col = p;
  p = emit(p, LOAD, 4); p = emit(p, PUSH, 1); p = emit(p, EQ, 0); int jcolend = p; p = emit(p, JZ, 0);
  int colend_jmp = p; p = emit(p, JMP, 0);
  int colbody = p; prog[jcolend].arg = colbody;
  p = emit(p, LOAD, 2); p = emit(p, PUSH, 1); p = emit(p, ADD, 0); p = emit(p, STORE, 2);
  p = emit(p, LOAD, 4); p = emit(p, PUSH, 2); p = emit(p, MOD, 0); int jeven = p; p = emit(p, JZ, 0);
  p = emit(p, LOAD, 4); p = emit(p, PUSH, 3); p = emit(p, MUL, 0); p = emit(p, PUSH, 1); p = emit(p, ADD, 0); p = emit(p, STORE, 4);
  p = emit(p, JMP, col);
  int even = p; prog[jeven].arg = even;
  p = emit(p, LOAD, 4); p = emit(p, PUSH, 2); p = emit(p, DIV, 0); p = emit(p, STORE, 4); p = emit(p, JMP, col);
  int skip = p; prog[jskip].arg = skip; prog[colend_jmp].arg = skip;
  p = emit(p, LOAD, 0); p = emit(p, PUSH, 1); p = emit(p, ADD, 0); p = emit(p, STORE, 0); p = emit(p, JMP, outer);
  prog[jend].arg = p; p = emit(p, HALT, 0);
  return (unsigned)exec();
}
